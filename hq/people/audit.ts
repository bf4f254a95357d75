// The audit log (contract: "People at HQ"): every change made by a person, the admin token or an API
// key — who, what, when, and the object before and after.
//
// It is kept by one mechanism for every route rather than by each route (hq/server.ts): any
// state-changing request from a back-office or integration principal that succeeds (status < 400) is
// written here before its answer leaves, with the route as the action, the path's parameters as the
// target, the answer as `after`, and — for routes that change an existing object — that object as read
// just before the handler ran (route config `auditBefore`). A new route is audited without anyone
// remembering to. What it cannot promise: the row is written after the change committed, in its own
// statement, so a crash between the two loses the row (logged loudly when the insert fails), and
// `before` is read outside the change's transaction.
import { sql } from 'drizzle-orm';
import type { AuditEntry } from '../../sync/protocol';
import type { Principal } from '../auth';
import { rowsOf, type Db } from '../db/connect';
import { isoUtc } from '../db/iso-sql';

export type Actor = AuditEntry['actor'];

/** Who a principal is, for the log; null for a till (its changes are ops, kept in their own tables). */
export function actorOf(principal: Principal | null): Actor | null {
  if (!principal) return null;
  if (principal.kind === 'admin') return principal.person ? { kind: 'user', id: principal.person.userId, label: principal.person.email } : { kind: 'admin_token', id: null, label: 'admin token' };
  if (principal.kind === 'integration') return { kind: 'api_key', id: principal.keyId, label: `API key ${principal.keyName}` };
  return null;
}

/** Keys whose values never reach the log, wherever they appear (a created key, a password). */
const SECRET_KEYS = new Set(['password', 'current_password', 'password_hash', 'key', 'token', 'pairing_code']);

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.has(k) ? '(secret)' : redact(v)]));
  return value;
}

export async function recordAudit(db: Db, entry: { actor: Actor; action: string; target: string | null; before: unknown; after: unknown }): Promise<void> {
  const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(redact(v)));
  await db.execute(sql`INSERT INTO audit_log (actor_kind, actor_id, actor_label, action, target, before, after)
    VALUES (${entry.actor.kind}, ${entry.actor.id}, ${entry.actor.label}, ${entry.action}, ${entry.target}, ${json(entry.before)}::jsonb, ${json(entry.after)}::jsonb)`);
}

/** Newest first. */
export async function listAudit(db: Db, { limit, offset }: { limit: number; offset: number }): Promise<{ result: AuditEntry[]; total: number }> {
  const rows = rowsOf<{ id: number | string; at: string; actor_kind: Actor['kind']; actor_id: string | null; actor_label: string; action: string; target: string | null; before: unknown; after: unknown }>(
    await db.execute(sql`SELECT id, ${isoUtc('at')} AS at, actor_kind, actor_id, actor_label, action, target, before, after
      FROM audit_log ORDER BY id DESC LIMIT ${limit} OFFSET ${offset}`),
  );
  const total = rowsOf<{ n: number }>(await db.execute(sql`SELECT count(*)::int AS n FROM audit_log`))[0]!.n;
  return {
    total,
    result: rows.map((r) => ({ id: Number(r.id), at: r.at, actor: { kind: r.actor_kind, id: r.actor_id, label: r.actor_label }, action: r.action, target: r.target, before: r.before, after: r.after })),
  };
}
