// The machine-readable reasons a voucher is refused: the contract's list, shared by till and HQ.
export const VALIDATION_REASONS = [
  'invalid_code_format',
  'not_found',
  'disabled',
  'cancelled',
  'not_active_yet',
  'expired',
  'not_active_now',
  'quantity_exceeded',
  'gift_balance_exhausted',
  'missing_customer',
  'customer_mismatch',
  'product_not_in_ticket',
  'min_order_not_met',
  'currency_mismatch',
  'already_applied',
  'stacking_limit',
  'offline_not_allowed',
  'offline_limit_exceeded',
  // v1 additions: a loyalty card whose program this till or HQ does not know
  'loyalty_program_unknown',
] as const;

export type ValidationReason = (typeof VALIDATION_REASONS)[number];
