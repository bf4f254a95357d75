import type { z } from 'zod';
import type { ApiScopeSchema } from '../../sync/protocol';
import { msg } from '../../core/words/i18n';

type ApiScope = z.infer<typeof ApiScopeSchema>;

/** What each API key scope allows, in words. Translated where shown: t(API_SCOPES_TEXT[scope]). */
export const API_SCOPES_TEXT: Record<ApiScope, string> = {
  redeem: msg('redeem vouchers and roll its redemptions back'),
  read: msg('look vouchers up and validate tickets'),
};
