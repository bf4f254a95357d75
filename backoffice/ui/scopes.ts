import type { z } from 'zod';
import type { ApiScopeSchema } from '../../sync/protocol';

type ApiScope = z.infer<typeof ApiScopeSchema>;

/** What each API key scope allows, in words. */
export const API_SCOPES_TEXT: Record<ApiScope, string> = {
  redeem: 'redeem vouchers and roll its redemptions back',
  read: 'look vouchers up and validate tickets',
};
