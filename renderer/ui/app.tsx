import { useEffect } from 'react';
import { languageOf, textDirection } from '../../core/words/i18n';
import { LoadingScreen } from './screens/loading-screen';
import { PairingScreen } from './screens/pairing-screen';
import { TillLayout } from './widgets/till-layout';
import { useTill } from './store-context';
import { useT } from './use-format';

export function App() {
  const phase = useTill((s) => s.phase);
  const locale = useTill((s) => s.settings.locale);
  const t = useT();
  // The page speaks the till's language, right to left where it is written so (logical CSS mirrors it).
  useEffect(() => {
    document.documentElement.lang = languageOf(locale);
    document.documentElement.dir = textDirection(locale);
  }, [locale]);
  switch (phase) {
    case 'starting':
      return <main className="centered"><p>{t('Starting…')}</p></main>;
    case 'pairing':
      return <PairingScreen />;
    case 'loading':
      return <LoadingScreen />;
    case 'ready':
      return <TillLayout />;
  }
}
