// Pairing a till with a short code instead of its token (core/pairing-code.ts): the back office asks
// HQ for a code for a till, whoever sets the till up types it, and the till exchanges it for a token.
import { z } from 'zod';
import { PAIRING_CODE_INPUT_PATTERN } from '../../core/pairing-code';
import { Text } from '../../core/text';

/** POST /v1/tills/{till_id}/pairing-code (admin) → 201. */
export const PairingCodeIssuedSchema = z.object({
  till_id: z.uuid(),
  /** Shown as two groups of four, e.g. "K7QM-3XHD". */
  pairing_code: z.string(),
  expires_at: z.string(),
});

/** POST /v1/pairings (no token: the code is the credential). */
export const PairingRequestSchema = z.strictObject({
  pairing_code: Text.max(32).regex(PAIRING_CODE_INPUT_PATTERN, 'A pairing code is 8 letters and digits, such as K7QM-3XHD: A–Z without I, L, O and 2–9, in any case, dashes and blanks ignored'),
});

/** The till's new token, shown once; the till's previous token stops working. */
export const PairingResultSchema = z.object({
  till_id: z.uuid(),
  name: z.string(),
  time_zone: z.string(),
  token: z.string(),
  /**
   * Extension: the most a gift card sold at a till may hold (HQ_MAX_GIFT_ISSUE, minor units). HQ refuses
   * a GIFT_ISSUE above it, so a till never sells more: the card would be paid for and then refused.
   */
  max_gift_issue: z.int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
});
export type PairingResult = z.infer<typeof PairingResultSchema>;

export const TillIdParams = z.strictObject({ till_id: z.uuid() });

/**
 * GET /v1/tills/me (till): which till a token belongs to. A till asks when it is paired with a token
 * (a pairing code's answer already says it), so a device re-paired as the same till finds its replica —
 * and the sales in its outbox — again.
 */
export const TillIdentitySchema = PairingResultSchema.omit({ token: true });
export type TillIdentity = z.infer<typeof TillIdentitySchema>;
