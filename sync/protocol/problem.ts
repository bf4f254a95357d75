// RFC 9457 problem details: the shape of every HQ error. The till parses these too, so a refusal
// carries the same machine-readable `code` on both sides.
import { z } from 'zod';

/**
 * Every `code` HQ answers an error with (README, "Problem codes"). The wire keeps `code` a string, so a
 * till reads the problems of a newer HQ too; HQ itself can only send these (HqError, sendProblem).
 */
export const ProblemCodeSchema = z.enum([
  // the request
  'bad_request', 'invalid_request', 'invalid_body', 'invalid_json', 'invalid_url', 'body_too_large', 'headers_too_large',
  'unsupported_media_type', 'method_not_allowed', 'route_not_found', 'request_timeout',
  // who asks
  'unauthorized', 'forbidden', 'too_many_auth_failures', 'unknown_till', 'pairing_code_invalid', 'too_many_pairing_attempts',
  'sign_in_failed', 'too_many_sign_in_failures', 'csrf_refused', 'wrong_current_password',
  // what is asked
  'not_found', 'till_not_found', 'code_exists', 'code_space_exhausted', 'not_own_redemption', 'already_rolled_back',
  'not_a_gift_card', 'cancelled', 'amount_out_of_range', 'program_exists', 'program_in_use',
  'idempotency_key_required', 'idempotency_key_reused', 'asset_link_invalid', 'asset_link_expired',
  'email_taken', 'last_admin', 'user_not_found',
  // a push refused as a whole
  'seq_gap', 'duplicate_seq',
  // HQ itself
  'internal', 'shutting_down', 'database_unavailable',
]);
export type ProblemCode = z.infer<typeof ProblemCodeSchema>;

export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  code: z.string().optional().describe('machine-readable reason, where one applies'),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional().describe('field errors of a 400'),
});
export type Problem = z.infer<typeof ProblemSchema>;
