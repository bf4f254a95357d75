// POST /v1/redemptions — a voucher redeemed by another channel (web shop, kiosk, call centre; contract:
// "Online redemption for other channels").
//
// The retry model, once: a caller that does not hear the answer sends the same request again with the
// same Idempotency-Key, and must get the same answer — never a second redemption. So the key is claimed
// (a row of idempotency_keys) in the same transaction as the redemption, and the answer is stored there
// before the commit: either both exist or neither. A repeat that arrives after the commit reads the
// stored answer (200, `Idempotent-Replayed: true`); one that arrives while the first is still in its
// transaction waits on the key's row and then reads it; the same key with another body is refused (422
// idempotency_key_reused), because answering it with the first body's result would lie about the
// second. Keys belong to the caller (an API key, or the admin). In that transaction the caller's
// channel — a tills row no token can sign in as (auth.ts takes only kind 'till'; api-key-store.ts) — and
// the voucher are locked, in the order a push locks them; the voucher is judged as it is under the lock
// by the till's own core (evaluateTicket, online), and applied as an op of the channel through the same
// push_ops() a till's push takes. So it meets the tills' redemptions in one conditional write: of a web
// shop and two offline tills redeeming one single-use code, exactly one is ACCEPTED, whoever comes first
// (the tills' CONFLICTs name the winner; the web shop, judged under the lock, is REJECTED
// quantity_exceeded). A gift card pays what is due up to what is left, a loyalty card with its points
// (LOYALTY_SPEND), never more: HQ is online here, so it gives nothing an offline till's overdraw rule
// would accept. A code the core refuses is REJECTED with its validation reason and redeems nothing (a
// loyalty card with nothing to pay: `gift_balance_exhausted`).
import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { evaluateTicket } from '../core/evaluate-ticket';
import { normaliseCode } from '../core/code';
import type { OnlineRedemption, PushResult } from '../sync/protocol';
import { rowsOf, type Db } from './db/connect';
import { getVoucher } from './voucher-store';
import type { Voucher } from '../core/voucher';
import { programsById } from './loyalty-program-store';
import { toPushOp, type PushPolicy } from './push/steps';
import { HqError } from './hq-error';
import type { z } from 'zod';
import type { OnlineRedemptionRequestSchema } from '../sync/protocol';

export type OnlineRedemptionRequest = z.output<typeof OnlineRedemptionRequestSchema>;

/**
 * Who redeems: whose keys these are (`principal`), the channel whose op the redemption is, and whether
 * the caller may read vouchers (a refused redemption's answer shows the voucher only then).
 */
export type Channel = { principal: string; tillId: string; timeZone: string; canRead: boolean };

export type OnlineAnswer = { replayed: boolean; json: string };

const hashOf = (body: OnlineRedemptionRequest) => createHash('sha256').update(JSON.stringify(body), 'utf8').digest('hex');

async function stored(db: Db, channel: Channel, key: string, requestHash: string): Promise<OnlineAnswer | null> {
  const row = rowsOf<{ request_hash: string; response: string }>(await db.execute(sql`SELECT request_hash, response FROM idempotency_keys WHERE principal = ${channel.principal} AND key = ${key}`))[0];
  if (!row) return null;
  if (row.request_hash !== requestHash) {
    throw new HqError(422, 'idempotency_key_reused', 'This Idempotency-Key was used with another request body; use a new key for a new redemption.');
  }
  return { replayed: true, json: row.response };
}

/** Redeem `body.code` on `body.ticket` for `channel`, once per Idempotency-Key; `onChange` hears the checkpoint of an applied one. */
export async function redeemOnline(db: Db, policy: PushPolicy, channel: Channel, key: string, body: OnlineRedemptionRequest, onChange: (cp: number) => void): Promise<OnlineAnswer> {
  const requestHash = hashOf(body);
  const earlier = await stored(db, channel, key, requestHash);
  if (earlier) return earlier;

  const code = normaliseCode(body.code);
  const id = randomUUID();
  // The redemption's ticket names the channel for the back office ("web-shop:<id>").
  const ticketId = `${body.channel ?? 'online'}:${id}`;
  const base = { id, code, discount_amount: 0, gift_amount: 0 };

  const done = await db.transaction(async (tx) => {
    // Claimed first: a concurrent request with this key waits here until this one commits.
    const claimed = rowsOf(await tx.execute(sql`INSERT INTO idempotency_keys (principal, key, request_hash, response) VALUES (${channel.principal}, ${key}, ${requestHash}, '') ON CONFLICT DO NOTHING RETURNING key`));
    if (!claimed.length) return null;
    // The channel's row, then the voucher: the order a push locks them in. The voucher is judged as it
    // is under its lock, so what a gift card or points pay is never more than is left: HQ is online here
    // and gives nothing an offline till could not (push_ops() accepts an overdraw only for tills).
    const [till] = rowsOf<{ last_seq: string | number }>(await tx.execute(sql`SELECT last_seq FROM tills WHERE id = ${channel.tillId}::uuid FOR UPDATE`));
    const voucher = await getVoucher(tx, code, true);
    const loyaltyPrograms = voucher?.type === 'LOYALTY_CARD' ? await programsById(tx, [voucher.campaign]) : undefined;
    const [r] = evaluateTicket(body.ticket, [{ code, voucher, spend_points: true }], { now: Date.now(), timeZone: channel.timeZone, online: true, ...(loyaltyPrograms ? { loyaltyPrograms } : {}) }).results;
    // A key without `read` learns nothing more of a voucher it could not redeem than the reason.
    const shown = (v: Voucher | undefined) => (v && channel.canRead ? { voucher: v } : {});
    let answer: OnlineRedemption;
    let checkpoint = 0;
    const at = new Date().toISOString();
    const op =
      !r!.valid || (r!.type === 'LOYALTY_CARD' && r!.points_spent === 0)
        ? null
        : r!.type === 'LOYALTY_CARD'
          ? { op_id: id, type: 'LOYALTY_SPEND', occurred_at: at, payload: { code, ticket_id: ticketId, points: r!.points_spent, amount: r!.gift_amount } }
          : { op_id: id, type: 'REDEMPTION', occurred_at: at, payload: { code, ticket_id: ticketId, amount: r!.discount_amount + r!.gift_amount } };
    if (!op) {
      answer = { ...base, outcome: 'REJECTED', reason: r!.valid ? 'gift_balance_exhausted' : r!.reason, ...shown(voucher) };
    } else {
      const pushOp = toPushOp({ ...op, seq: Number(till!.last_seq) + 1 }, channel.tillId, policy);
      const [row] = rowsOf<{ r_result: string; r_checkpoint: string | number }>(await tx.execute(sql`SELECT * FROM push_ops(${channel.tillId}::uuid, ${JSON.stringify([pushOp])}::jsonb)`));
      const result = JSON.parse(row!.r_result) as Omit<PushResult, 'op_id'>;
      checkpoint = Number(row!.r_checkpoint);
      const accepted = result.outcome === 'ACCEPTED';
      answer = {
        ...base, outcome: result.outcome, ...(result.reason ? { reason: result.reason } : {}),
        discount_amount: accepted ? r!.discount_amount : 0, gift_amount: accepted ? r!.gift_amount : 0,
        ...(r!.valid && r!.type === 'LOYALTY_CARD' ? { points: accepted ? r!.points_spent : 0 } : {}),
        ...(result.overdraft ? { overdraft: true } : {}), ...(accepted ? { voucher: result.voucher } : shown(result.voucher)),
      };
    }
    const json = JSON.stringify(answer);
    await tx.execute(sql`UPDATE idempotency_keys SET response = ${json} WHERE principal = ${channel.principal} AND key = ${key}`);
    return { json, checkpoint };
  });
  if (done === null) return (await stored(db, channel, key, requestHash))!;
  if (done.checkpoint) onChange(done.checkpoint);
  return { replayed: false, json: done.json };
}
