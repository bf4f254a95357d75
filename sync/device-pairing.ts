// Which till this device is, and every replica it holds — so that no sale is ever orphaned.
//
// A sale lives in its till's replica (an IndexedDB database) until HQ has it. The replica is useless
// without knowing which till it belongs to and a token for that till, and both must reach the disk
// before the first sale: localStorage is written to disk seconds later, and a browser killed in
// between came back unpaired, was paired anew under a new replica name, and its unsent sales were
// never seen again. So:
//  - the current pairing (HQ, till, replica name) sits in its own small IndexedDB database written
//    with strict durability — committed to disk before the till opens for selling;
//  - a replica is named after its HQ and till id (not the token), and records that identity in its own
//    meta table, so re-pairing the same device as the same till — with its token or a new pairing
//    code — opens the same replica, and the new token sends what the outbox still holds (HQ numbers a
//    till's ops per till, so the sequence simply continues);
//  - at any time every replica on the device can be listed with its unsent ops, so pairing as another
//    till while one still holds sales is refused and the pairing screen says which till to pair.
import { Dexie, type EntityTable } from 'dexie';
import { openReplica, type ReplicaDeps } from './replica/db';
import { readMeta } from './replica/meta';
import type { TillIdentity } from './protocol';

export const REPLICA_PREFIX = 'voucher-till:';
const DEVICE_DB = 'voucher-till-device';

/** A till as this device knows it: which HQ, and the till's identity there. */
export type TillAtHq = TillIdentity & { hq_url: string };

export type DevicePairing = {
  hqUrl: string;
  dbName: string;
  /**
   * Which token this pairing was made with (tokenDigest). The token is kept by the shell and the pairing
   * here, in two writes: a start that finds a token of another pairing (the last pairing was cut short
   * between them) must not open this replica with it — its ops would go out under another till.
   */
  tokenDigest: string;
  /** Unknown only for a pairing made before identities were recorded (filled in when next online). */
  identity: TillAtHq | null;
  pairedAt: string;
};

export type ReplicaSummary = { dbName: string; identity: TillAtHq | null; pendingOps: number };

type Row = { key: string; value: unknown };

/** One replica per HQ and till: the same till paired again on this device finds its replica again. */
export function replicaNameForTill(hqUrl: string, tillId: string): string {
  return `${REPLICA_PREFIX}${hqUrl}:till:${tillId.toLowerCase()}`;
}

/** The first 8 bytes of a token's SHA-256, in hex: names a token without keeping it. */
export async function tokenDigest(token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)));
  return [...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The replica name an older version derived from HQ and the token. Such a replica is still this
 * device's when the same token is used again; newer replicas are named after their till, so a new token
 * for the same till finds them.
 */
export async function legacyReplicaName(hqUrl: string, token: string): Promise<string> {
  return `${REPLICA_PREFIX}${hqUrl}:${await tokenDigest(token)}`;
}

/** Replicas holding ops HQ has not received, other than `except` (the open till's). */
export function withUnsentOps(replicas: ReplicaSummary[], except?: string): ReplicaSummary[] {
  return replicas.filter((r) => r.pendingOps > 0 && r.dbName !== except);
}

export function openDevicePairing(deps: ReplicaDeps = {}) {
  const db = new Dexie(DEVICE_DB, {
    chromeTransactionDurability: 'strict',
    ...(deps.indexedDB ? { indexedDB: deps.indexedDB } : {}),
    ...(deps.IDBKeyRange ? { IDBKeyRange: deps.IDBKeyRange } : {}),
  }) as Dexie & { rows: EntityTable<Row, 'key'> };
  db.version(1).stores({ rows: '&key' });

  async function get<T>(key: string): Promise<T | undefined> {
    return (await db.rows.get(key))?.value as T | undefined;
  }

  return {
    current: (): Promise<DevicePairing | undefined> => get<DevicePairing>('pairing'),
    /** Resolves once the pairing is on disk (strict durability). */
    async save(pairing: DevicePairing): Promise<void> {
      await db.rows.put({ key: 'pairing', value: pairing });
    },
    async clear(): Promise<void> {
      await db.rows.delete('pairing');
    },
    /** A secret of the device (the browser shell keeps the till token here), on disk when this resolves. */
    readSecret: (name: string): Promise<string | undefined> => get<string>(`secret:${name}`),
    async writeSecret(name: string, value: string): Promise<void> {
      await db.rows.put({ key: `secret:${name}`, value });
    },
    async deleteSecret(name: string): Promise<void> {
      await db.rows.delete(`secret:${name}`);
    },

    /** Every till replica on this device, with its till (when recorded) and the ops HQ has not yet got. */
    async replicas(): Promise<ReplicaSummary[]> {
      const factory = deps.indexedDB ?? globalThis.indexedDB;
      const names = (await factory.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith(REPLICA_PREFIX));
      const summaries: ReplicaSummary[] = [];
      for (const dbName of names.sort()) {
        const replica = openReplica(dbName, deps);
        try {
          await replica.open();
          const [pendingOps, identity] = await Promise.all([replica.outbox.count(), readMeta(replica, 'till_identity')]);
          summaries.push({ dbName, identity: identity ?? null, pendingOps });
        } finally {
          replica.close();
        }
      }
      return summaries;
    },
    close: () => db.close(),
  };
}

export type DevicePairingStore = ReturnType<typeof openDevicePairing>;

/**
 * Which replica a till just paired should use, or why pairing must wait. The till's own replica (by
 * identity, or by the name an older version derived from the token) is reused with whatever its
 * outbox holds; any other replica that still holds unsent ops blocks the pairing — its sales can only
 * reach HQ through its own till, so the device must be paired as that till first.
 */
export function choosePairingReplica(
  replicas: ReplicaSummary[],
  till: TillAtHq,
  legacyName?: string,
): { ok: true; dbName: string } | { ok: false; blocking: ReplicaSummary[] } {
  const isMine = (r: ReplicaSummary) => (r.identity ? r.identity.hq_url === till.hq_url && r.identity.till_id.toLowerCase() === till.till_id.toLowerCase() : r.dbName === legacyName);
  // Of the till's own replicas (one by identity, maybe one older one named by token) the one with unsent ops.
  const mine = replicas.filter(isMine).sort((a, b) => b.pendingOps - a.pendingOps)[0];
  const dbName = mine?.dbName ?? replicaNameForTill(till.hq_url, till.till_id);
  const blocking = withUnsentOps(replicas, dbName);
  return blocking.length ? { ok: false, blocking } : { ok: true, dbName };
}
