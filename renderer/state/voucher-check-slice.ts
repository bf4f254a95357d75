// "What is this voucher?" without a ticket: status, balance, validity, restrictions.
import { normaliseCode } from '../../core/code';
import type { Validation } from '../../core/validate';
import { requireTill } from './selectors';
import type { SliceArgs, VoucherCheckSlice } from './types';
import { translatorFor } from '../../core/words/i18n';

export function createVoucherCheckSlice(...[set, get]: SliceArgs): VoucherCheckSlice {
  return {
    checked: null,
    async checkVoucher(raw) {
      const state = get();
      const till = requireTill(state);
      const found = await till.lookup(raw);
      const t = translatorFor(state.settings.locale);
      if (found.kind === 'product') return state.say('error', t('That is a product ({{product}}), not a voucher.', { product: found.product.name }));
      if (found.kind === 'customer') return state.say('error', t('That is {{name}}\'s customer card, not a voucher.', { name: found.customer.name }));
      const code = found.kind === 'voucher' ? found.code : normaliseCode(raw);
      const voucher = found.kind === 'voucher' ? found.voucher : undefined;
      // Checked against an empty ticket for this store's customer-less sale: reasons that depend on the
      // ticket (minimum, product, customer) are shown as conditions, not as a refusal.
      const verdict: Validation = voucher
        ? await till.validate(code, { currency: state.settings.currency, customer_id: null, lines: [] }, [], voucher)
        : { valid: false, code, reason: found.kind === 'unknown' ? 'invalid_code_format' : 'not_found' };
      set({ checked: { code, voucher, verdict }, notice: null });
    },
  };
}
