import { useTill } from './store-context';
import { formatMoney } from '../../core/words/money-format';
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
