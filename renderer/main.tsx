// Entry point of the cashier UI: the same files run in Electron (window.tillShell from the preload)
// and in a plain browser (browser-shell.ts). npm start may hand over the HQ address and a till token
// in the URL fragment (#hq=…&token=…): a fragment never reaches a server, and it is removed at once.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { openTill, openDevicePairing, createHqClient } from '../sync/till';
import { getShell } from './shell/browser-shell';
import { createTillStore } from './state/store';
import { listenForScans } from './scan/wedge-listener';
import { App } from './ui/app';
import { ShellProvider } from './ui/shell-context';
import { StoreProvider } from './ui/store-context';
import './styles.css';

function takePairingHint(): { hqUrl?: string; token?: string } {
  const params = new URLSearchParams(location.hash.slice(1));
  const hqUrl = params.get('hq') ?? undefined;
  const token = params.get('token') ?? undefined;
  if (hqUrl || token) history.replaceState(null, '', location.pathname + location.search);
  return { ...(hqUrl ? { hqUrl } : {}), ...(token ? { token } : {}) };
}

// zod would probe `new Function` for its JIT; the desktop shell's CSP forbids eval, so don't ask.
z.config({ jitless: true });

const device = openDevicePairing();
const shell = getShell(window, device);
const store = createTillStore({
  shell,
  openTill: (options) => openTill(options),
  storage: localStorage,
  device,
  whoAmI: (hqUrl, token) => createHqClient({ baseUrl: hqUrl, token }).whoAmI(),
  now: () => Date.now(),
  pairingHint: takePairingHint(),
});
listenForScans(window, (value) => void store.getState().scan(value));
shell.onQuitRequested(async () => {
  await store.getState().till?.close();
});
// Tests and the UI benchmark read state through this handle; it holds nothing the page does not have.
(window as unknown as { __till?: typeof store }).__till = store;

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <ShellProvider shell={shell}>
      <StoreProvider store={store}>
        <App />
      </StoreProvider>
    </ShellProvider>
  </StrictMode>,
);
void store.getState().boot();
