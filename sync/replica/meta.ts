// The replica's meta table: a few named values, each written in the transaction of the change it
// belongs to. Every key, its type and what it means — in one place; code reads and writes them through
// readMeta/writeMeta, never with a bare string.
import type { TillIdentity } from '../protocol';
import type { ReplicaDb } from './db';

export type MetaValues = {
  /** The feed checkpoint the replica holds every change up to, as the feed names it (digits; apply-pull.ts). */
  checkpoint: string;
  /** HQ's last_seq for this till as the last pull page named it: HQ has applied every op up to it. */
  pulled_last_seq: number;
  /** The seq the next local op takes (local-sale.ts). */
  next_seq: number;
  /** When a pull last reached the feed's head (ms since the epoch); absent: never (a first load is due). */
  last_pull_at: number;
  /**
   * The push floor: a checkpoint the change feed reaches only with every effect of this till's answered
   * pushes that the unreflected table does not stand for (apply-push.ts says which). Raised by push
   * answers (their `checkpoint`; without one, past any checkpoint), lifted by a pull that reaches the
   * tail. Absent: 0, nothing to wait for.
   */
  push_floor: number;
  /**
   * The highest seq of this till's ops that may have reached HQ: written before each push is sent
   * (apply-push.ts, markSending), since HQ may apply a batch whose answer never arrives. An op above it
   * in the outbox has never left the till. A new replica starts at 0; absent (a replica an older
   * version pushed from), every op in the outbox may have been sent.
   */
  sent_seq: number;
  /** Which till at which HQ this replica belongs to (device-pairing.ts, TillAtHq). */
  till_identity: TillIdentity & { hq_url: string };
};

export type MetaKey = keyof MetaValues;

/** One meta value, or undefined when it was never written. */
export async function readMeta<K extends MetaKey>(db: ReplicaDb, key: K): Promise<MetaValues[K] | undefined> {
  return (await db.meta.get(key))?.value as MetaValues[K] | undefined;
}

export async function writeMeta<K extends MetaKey>(db: ReplicaDb, key: K, value: MetaValues[K]): Promise<void> {
  await db.meta.put({ key, value });
}
