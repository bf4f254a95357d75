// Derived values shared by slices and components.
import type { Till } from '../../sync/till';
import type { DisplayContext } from '../../core/words/display-context';
import type { TillState } from './types';
import { msg, translatorFor, type Translate } from '../../core/words/i18n';
import { formatMoney } from '../../core/words/money-format';
import { formatInstant } from '../../core/words/date-format';

export function requireTill(state: Pick<TillState, 'till'>): Till {
  if (!state.till) throw new Error(msg('The till is not open yet (pair it with head office first).'));
  return state.till;
}

export function displayContext(state: Pick<TillState, 'settings' | 'till'>): DisplayContext {
  return {
    locale: state.settings.locale,
    currency: state.settings.currency,
    timeZone: state.settings.timeZone,
    offlinePolicy: state.till?.settings.offlinePolicy ?? { maxGiftAmountPerTicket: state.settings.maxOfflineGiftPerTicket, maxReplicaAgeMs: null },
    stacking: state.till?.settings.stacking ?? { maxDiscountVouchers: 5, maxGiftCards: 5 },
    productName: (id) => state.till?.productName(id),
  };
}

/** What a message of the state needs to be said in the till's language: its words, money and time. */
export type Words = { t: Translate; money: (minor: number) => string; when: (at: string | number) => string };

export function words(state: Pick<TillState, 'settings'>): Words {
  const { locale, currency, timeZone } = state.settings;
  return { t: translatorFor(locale), money: (minor) => formatMoney(minor, currency, locale), when: (at) => formatInstant(at, timeZone, locale) };
}
