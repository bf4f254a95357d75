// Pairing a till with a short code instead of its token (core/pairing-code.ts): the back office asks
// HQ for a code for a till, whoever sets the till up types it, and the till exchanges it for a token.
import { z } from 'zod';

/** POST /v1/tills/{till_id}/pairing-code (admin) → 201. */
export const PairingCodeIssuedSchema = z.object({
  till_id: z.uuid(),
  /** Shown as two groups of four, e.g. "K7QM-3XHD". */
  pairing_code: z.string(),
  expires_at: z.string(),
});

/** POST /v1/pairings (no token: the code is the credential). */
export const PairingRequestSchema = z.strictObject({ pairing_code: z.string().min(1).max(32) });

/** The till's new token, shown once; the till's previous token stops working. */
export const PairingResultSchema = z.object({ till_id: z.uuid(), name: z.string(), time_zone: z.string(), token: z.string() });
export type PairingResult = z.infer<typeof PairingResultSchema>;

export const TillIdParams = z.strictObject({ till_id: z.uuid() });
