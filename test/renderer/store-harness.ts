// The cashier UI's store without React: a real HQ (PGlite, demo data) and a till on fake-indexeddb,
// a fake shell and in-memory storage. Tests drive it through getState() as the components do.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { startLiveHq, type LiveHq } from '../sync/till-harness';
import { seedDemo } from '../../hq/seed-demo';
import { openTill } from '../../sync/till';
import { createTillStore } from '../../renderer/state/store';
import type { StoreDeps, TillStore } from '../../renderer/state/types';
import type { TillShellApi } from '../../renderer/shell/till-shell-api';

export function memoryStorage(): StoreDeps['storage'] & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

export function fakeShell(): TillShellApi & { token: string | null; printed: string[] } {
  const shell = {
    kind: 'browser' as const,
    token: null as string | null,
    printed: [] as string[],
    appVersion: async () => 'test',
    listPrinters: async () => [],
    printHtml: async (html: string) => {
      shell.printed.push(html);
      return { ok: true as const };
    },
    readToken: async () => shell.token,
    storeToken: async (t: string) => void (shell.token = t),
    clearToken: async () => void (shell.token = null),
    readConfig: async () => null,
    onQuitRequested: () => () => undefined,
  };
  return shell;
}

export async function startDemoHq(): Promise<LiveHq> {
  const hq = await startLiveHq();
  const { checkpoint } = await seedDemo(hq.database.db);
  hq.ctx.bus.announce(checkpoint);
  return hq;
}

export type StoreUnderTest = { store: TillStore; shell: ReturnType<typeof fakeShell>; storage: ReturnType<typeof memoryStorage>; token: string };

/** A store paired with HQ and loaded, as after the pairing screen. */
export async function pairedStore(hq: LiveHq, options: { now?: () => number } = {}): Promise<StoreUnderTest> {
  const { token } = await hq.newTill('Store test till', 'Europe/Berlin');
  const shell = fakeShell();
  const storage = memoryStorage();
  storage.setItem('voucher-till:settings', JSON.stringify({ timeZone: 'Europe/Berlin', currency: 'EUR', locale: 'en-GB', maxOfflineGiftPerTicket: 20_000, maxReplicaAgeHours: 24, printer: null }));
  const indexedDB = new IDBFactory();
  const store = createTillStore({
    shell,
    storage,
    now: options.now ?? (() => Date.now()),
    openTill: (o) => openTill({ ...o, liveUpdates: false, replica: { indexedDB, IDBKeyRange } }),
  });
  await store.getState().boot();
  await store.getState().pair(hq.url, token);
  return { store, shell, storage, token };
}
