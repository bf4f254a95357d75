// The cashier UI's store without React: a real HQ (PGlite, demo data) and a till on fake-indexeddb,
// a fake shell and in-memory storage. Tests drive it through getState() as the components do.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { startLiveHq, type LiveHq } from '../../testkit/till-harness';
import { seedDemo } from '../../hq/seed-demo';
import { openTillInternals, type Till, type TillInternals } from '../../sync/till';
import { openDevicePairing } from '../../sync/device-pairing';
import { createHqClient } from '../../sync/engine/hq-client';
import { createTillStore } from '../../renderer/state/store';
import type { StoreDeps, TillStore } from '../../renderer/state/types';
import type { TillShellApi } from '../../renderer/shell/till-shell-api';

/** The store's till with its replica and engine: the harness opens tills with openTillInternals. */
export function insideOf(till: Till | null): TillInternals {
  if (!till) throw new Error('no till is open');
  return till as TillInternals;
}

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

export type StoreUnderTest = { store: TillStore; shell: ReturnType<typeof fakeShell>; storage: ReturnType<typeof memoryStorage>; token: string; indexedDB: IDBFactory };

export const TEST_SETTINGS = { timeZone: 'Europe/Berlin', currency: 'EUR', locale: 'en-GB', maxOfflineGiftPerTicket: 20_000, maxReplicaAgeHours: 24, printer: null };

/**
 * A store on this device's storage: `indexedDB` is the device's disk (replicas and the pairing), the
 * shell holds the token, `storage` is localStorage. Creating a second store on the same parts is a
 * restart of the app; on a fresh `storage` it is a restart after a crash that lost localStorage.
 */
export function deviceStore(parts: { indexedDB?: IDBFactory; shell?: TillShellApi; storage?: ReturnType<typeof memoryStorage>; now?: () => number; network?: { online: boolean } } = {}) {
  const indexedDB = parts.indexedDB ?? new IDBFactory();
  // The till's connection to HQ: a test takes it down with network.online = false.
  const network = parts.network ?? { online: true };
  const tillFetch = (input: string, init?: RequestInit) => (network.online ? fetch(input, init) : Promise.reject(new TypeError('fetch failed: network is down')));
  const shell: TillShellApi = parts.shell ?? fakeShell();
  const storage = parts.storage ?? memoryStorage();
  if (storage.getItem('voucher-till:settings') === null) storage.setItem('voucher-till:settings', JSON.stringify(TEST_SETTINGS));
  const store = createTillStore({
    shell,
    storage,
    now: parts.now ?? (() => Date.now()),
    device: openDevicePairing({ indexedDB, IDBKeyRange }),
    whoAmI: (hqUrl, token) => createHqClient({ baseUrl: hqUrl, token }).whoAmI(),
    // With its internals: the store sees the façade (Till), a test may look inside (insideOf).
    openTill: (o) => openTillInternals({ ...o, liveUpdates: false, fetch: tillFetch, replica: { indexedDB, IDBKeyRange } }),
  });
  return { store, shell, storage, indexedDB, network };
}

/** A store paired with HQ and loaded, as after the pairing screen. */
export async function pairedStore(hq: LiveHq, options: { now?: () => number } = {}): Promise<StoreUnderTest> {
  const { token } = await hq.newTill('Store test till', 'Europe/Berlin');
  const parts = deviceStore(options.now ? { now: options.now } : {});
  await parts.store.getState().boot();
  await parts.store.getState().pair(hq.url, token);
  return { ...parts, shell: parts.shell as ReturnType<typeof fakeShell>, token };
}
