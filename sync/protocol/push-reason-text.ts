// A sentence for each reason HQ gives a till's op that it did not apply as sent (README, "Push
// reasons"), translated where it is shown — the back office's reconciliation list and a voucher's
// redemptions show it beside the code. A Record over the closed enum, like problem-text.ts.
import { msg } from '../../core/words/msg';
import { PushReasonSchema, type PushReason } from './push';

const PUSH_REASON_TEXT: Readonly<Record<PushReason, string>> = {
  cancelled: msg('The voucher was cancelled before the sale reached HQ.'),
  quantity_exceeded: msg('The voucher was used up: another sale redeemed it first.'),
  not_found: msg('HQ knows no such voucher or redemption.'),
  invalid_op: msg('The till sent something HQ could not read.'),
  op_id_reused: msg('Another till already used this operation’s id (a fault at the till).'),
  seq_already_used: msg('HQ already has another operation of this till under this number (a fault at the till).'),
  not_own_redemption: msg('Only the till that made a sale may take its redemption back.'),
  already_rolled_back: msg('This redemption was rolled back already.'),
  code_not_leased: msg('HQ did not give this gift-card number to this till, or it was issued already.'),
  code_exists: msg('A voucher with this code exists already.'),
  amount_exceeds_maximum: msg('The gift card would hold more than HQ allows.'),
  amount_out_of_range: msg('The amount is too large.'),
  not_a_gift_card: msg('Only gift cards can be topped up.'),
  not_a_loyalty_card: msg('Points move only on loyalty cards.'),
  wrong_voucher_type: msg('A loyalty card is not redeemed like a voucher: its points move by earning and spending.'),
};

/** The sentence for a push reason, or null for one this build does not know (a newer HQ's). */
export function pushReasonText(reason: string | null | undefined): string | null {
  const known = PushReasonSchema.safeParse(reason);
  return known.success ? PUSH_REASON_TEXT[known.data] : null;
}
