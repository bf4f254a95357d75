// A sentence a person can read for each problem code HQ answers with, translated where it is shown
// (t(problemText(code))). HQ's own `detail` is English and names specifics (which code, which field);
// the console shows it beside this sentence for people reading another language. A Record over the
// closed enum: a new code that nobody wrote a sentence for does not compile.
import { msg } from '../../core/words/msg';
import { ProblemCodeSchema, type ProblemCode } from './problem';

const PROBLEM_TEXT: Readonly<Record<ProblemCode, string>> = {
  bad_request: msg('HQ could not read the request.'),
  invalid_request: msg('HQ could not read the request.'),
  invalid_body: msg('Some fields are not filled in as HQ needs them.'),
  invalid_json: msg('HQ could not read the request.'),
  invalid_url: msg('HQ could not read the request.'),
  body_too_large: msg('The request is too large for HQ.'),
  headers_too_large: msg('The request is too large for HQ.'),
  unsupported_media_type: msg('HQ could not read the request.'),
  method_not_allowed: msg('HQ does not offer this.'),
  route_not_found: msg('HQ does not offer this.'),
  request_timeout: msg('HQ waited too long for the request. Try again.'),
  unauthorized: msg('HQ does not know who is asking. Sign in again.'),
  forbidden: msg('Your role does not allow this.'),
  too_many_auth_failures: msg('Too many failed attempts. Wait a minute and try again.'),
  unknown_till: msg('HQ does not know this till.'),
  pairing_code_invalid: msg('HQ does not know this pairing code, or it was used or has expired.'),
  too_many_pairing_attempts: msg('Too many failed attempts. Wait a minute and try again.'),
  sign_in_failed: msg('The e-mail and password do not match an account.'),
  too_many_sign_in_failures: msg('Too many failed attempts. Wait a minute and try again.'),
  csrf_refused: msg('HQ refused a change sent from another site.'),
  wrong_current_password: msg('The current password is not right.'),
  not_found: msg('There is nothing here: it may have been deleted.'),
  till_not_found: msg('HQ does not know this till.'),
  code_exists: msg('A voucher with this code exists already.'),
  code_space_exhausted: msg('HQ cannot find enough unused codes of this pattern. Make the pattern longer.'),
  not_own_redemption: msg('Only the till that made a sale may take its redemption back.'),
  already_rolled_back: msg('This redemption was rolled back already.'),
  not_a_gift_card: msg('Only gift cards can be topped up.'),
  cancelled: msg('This card is cancelled.'),
  amount_out_of_range: msg('The amount is too large.'),
  program_exists: msg('A loyalty program with this id exists already.'),
  program_in_use: msg('Cards count in this loyalty program, so its currency cannot change.'),
  idempotency_key_required: msg('HQ could not read the request.'),
  idempotency_key_reused: msg('This request was sent before with other contents.'),
  asset_link_invalid: msg('This link is not valid.'),
  asset_link_expired: msg('This link has expired.'),
  email_taken: msg('Someone has this e-mail already.'),
  last_admin: msg('HQ needs at least one enabled admin.'),
  user_not_found: msg('There is no such person.'),
  seq_gap: msg('HQ is missing earlier sales of this till.'),
  duplicate_seq: msg('HQ could not read the request.'),
  internal: msg('Something went wrong at HQ. Try again; if it keeps happening, tell IT.'),
  shutting_down: msg('HQ is restarting. Try again in a moment.'),
  database_unavailable: msg('HQ cannot reach its database. Try again in a moment.'),
};

/** The sentence for a problem code, or null for a code this build does not know (a newer HQ's). */
export function problemText(code: string | undefined): string | null {
  const known = ProblemCodeSchema.safeParse(code);
  return known.success ? PROBLEM_TEXT[known.data] : null;
}
