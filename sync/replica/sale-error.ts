// Why a sale (or refund, or gift-card sale) could not be committed. Nothing was written.
import type { ValidationReason } from '../../core/reasons';
import type { TopUpRefusal } from '../../core/voucher-effects';

export type SaleErrorReason =
  | 'voucher_invalid' | 'underpaid' | 'unknown_ticket' | 'already_refunded' | 'no_gift_codes' | 'bad_amount' | 'gift_amount_too_high'
  // store credit on a refund
  | 'nothing_to_credit' | 'credit_too_high' | 'unknown_card' | 'card_refused' | 'card_currency';

export class SaleError extends Error {
  constructor(
    readonly reason: SaleErrorReason,
    message: string,
    readonly details: { code?: string; voucherReason?: ValidationReason; limit?: number; reason?: TopUpRefusal; refundedAt?: string } = {},
  ) {
    super(message);
    this.name = 'SaleError';
  }
}
