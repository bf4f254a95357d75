import type { Database, Db } from './db/connect';
import type { ChangeBus } from './change-bus';
import type { CounterStore } from './counters';
import type { Principal } from './auth';
import type { AssetSigner } from './voucher-assets';
import type { TillContacts } from './till-contacts';
import type { TillStreams } from './till-streams';
import type { Role } from '../sync/protocol';

export type HqContext = {
  db: Db;
  dbKind: 'pglite' | 'postgres';
  /** PostgreSQL: a lock held while work runs, visible to every HQ process (Database.holdLock). */
  holdLock?: Database['holdLock'];
  bus: ChangeBus;
  /** Abuse counters (auth failures, pairing attempts): in PostgreSQL, shared by every HQ process; in memory on PGlite. */
  counters: CounterStore;
  adminHash: string;
  /** Zone for validations made by the admin (a till's own zone is used for its requests). */
  defaultTimeZone: string;
  /** The largest gift card a till may issue, minor units (HQ_MAX_GIFT_ISSUE): every GIFT_ISSUE above it is REJECTED, online or offline. */
  maxGiftIssue: number;
  /** Pushes one transaction may hold (hq/push/pusher.ts, group commit); 1: none grouped. */
  pushGroup: number;
  /** When HQ last heard from each till, and its event stream (hq/till-contacts.ts). */
  contacts: TillContacts;
  /** This process's open event streams by till, so that revoking a till ends them (hq/till-streams.ts). */
  tillStreams: TillStreams;
  /** Voucher asset links (hq/voucher-assets.ts); without a public URL, links use the request's host. */
  assets: { signer: AssetSigner; publicUrl: string | undefined };
};

export type Allow = readonly ('admin' | 'till' | 'integration')[];

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    /** What auditBefore read (hq/people/audit.ts). */
    auditBefore: unknown;
  }
  interface FastifyContextConfig {
    /** Who may call the route; absent = anyone. */
    allow?: Allow;
    /** The scope an API key needs for the route (with 'integration' in `allow`). */
    scope?: 'redeem' | 'read';
    /**
     * The least role a person signed in to the back office needs for the route ('admin' in `allow`).
     * Default: 'viewer' for GET, 'manager' for anything that changes (hq/server.ts, personMayCall).
     */
    role?: Role;
    /** false: the route changes nothing although it is a POST (a validation), so the audit log skips it. */
    audit?: false;
    /** For the audit log: the object the request is about to change, read before the handler runs (hq/people/audit.ts). */
    auditBefore?: (request: FastifyRequest) => Promise<unknown>;
  }
}
