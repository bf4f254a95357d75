import { useTill } from './store-context';
import { formatMoney } from '../../core/words/money-format';
import { translatorFor, type Translate } from '../../core/words/i18n';
import { displayContext } from '../state/selectors';
import { useShallow } from 'zustand/react/shallow';

export function useMoney(): (minor: number) => string {
  const { currency, locale } = useTill(useShallow((s) => ({ currency: s.settings.currency, locale: s.settings.locale })));
  return (minor) => formatMoney(minor, currency, locale);
}

export function useDisplayContext() {
  const { settings, till } = useTill(useShallow((s) => ({ settings: s.settings, till: s.till })));
  return displayContext({ settings, till });
}

/**
 * The words of the till's language: t(sentence, vars) (core/words/i18n.ts). The language
 * follows the locale setting in the store, so changing it in Settings re-renders every screen in it.
 */
export function useT(): Translate {
  return translatorFor(useTill((s) => s.settings.locale));
}
