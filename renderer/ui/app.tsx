import { LoadingScreen } from './screens/loading-screen';
import { PairingScreen } from './screens/pairing-screen';
import { TillLayout } from './widgets/till-layout';
import { useTill } from './store-context';

export function App() {
  const phase = useTill((s) => s.phase);
  switch (phase) {
    case 'starting':
      return <main className="centered"><p>Starting…</p></main>;
    case 'pairing':
      return <PairingScreen />;
    case 'loading':
      return <LoadingScreen />;
    case 'ready':
      return <TillLayout />;
  }
}
