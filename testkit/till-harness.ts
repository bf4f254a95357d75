// A real HQ on a loopback port plus tills on fake-indexeddb (one IDBFactory each: separate devices).
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { startHq, type Hq } from './hq-harness';
import { openTillInternals as openTill, type TillOptions } from '../sync/till';
import type { FetchLike } from '../sync/engine/hq-client';

export type LiveHq = Hq & { url: string };

export async function startLiveHq(): Promise<LiveHq> {
  const hq = await startHq('pglite');
  const address = await hq.app.listen({ port: 0, host: '127.0.0.1' });
  return Object.assign(hq, { url: address });
}

let dbCounter = 0;

export async function newTill(hq: LiveHq, options: Partial<TillOptions> & { name?: string; fetch?: FetchLike } = {}) {
  const { till_id, token } = await hq.newTill(options.name ?? `Till ${++dbCounter}`, 'Europe/Berlin');
  const factory = options.replica?.indexedDB ?? new IDBFactory();
  const till = await openTill({
    hqUrl: hq.url,
    token,
    dbName: `till-${till_id}`,
    liveUpdates: false,
    settings: { timeZone: 'Europe/Berlin', currency: 'EUR' },
    ...options,
    replica: { indexedDB: factory, IDBKeyRange },
  });
  return Object.assign(till, { tillId: till_id, token, factory });
}

export async function adminCreate(hq: Hq, body: Record<string, unknown>) {
  const res = await hq.admin({ method: 'POST', url: '/v1/vouchers', payload: body });
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.body}`);
  return res.json();
}
