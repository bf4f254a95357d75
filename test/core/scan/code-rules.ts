// Voucher code rules for the scan tests: the real ones from core/code.ts, and a narrower variant under
// which no all-digit string is a voucher code (to test the product/voucher boundary on its own).
import { isValidCode, normaliseCode } from '../../../core/code';
import type { VoucherCodeRules } from '../../../core/scan/classify';

export const codeRules: VoucherCodeRules = { normaliseCode, isVoucherCode: isValidCode };

export const lettersRequiredRules: VoucherCodeRules = {
  normaliseCode,
  isVoucherCode: (normalised) => isValidCode(normalised) && /[A-Z]/.test(normalised),
};
