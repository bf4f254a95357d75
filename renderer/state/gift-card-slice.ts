// Selling a gift card from a code leased to this till: works offline.
import { saleErrorText } from '../format/sale-error-text';
import { requireTill, words } from './selectors';
import type { GiftCardSlice, SliceArgs } from './types';

export function createGiftCardSlice(...[set, get]: SliceArgs): GiftCardSlice {
  return {
    issuedCard: null,
    giftCodesLeft: null,
    async sellGiftCard(amount) {
      const till = requireTill(get());
      try {
        const card = await till.issueGiftCard(amount, get().settings.currency);
        set({ issuedCard: card });
        await get().refreshGiftCodes();
        return card;
      } catch (error) {
        get().say('error', saleErrorText(error, words(get())));
        return null;
      }
    },
    async refreshGiftCodes() {
      const till = get().till;
      if (till) set({ giftCodesLeft: await till.codeLeaseCount() });
    },
  };
}
