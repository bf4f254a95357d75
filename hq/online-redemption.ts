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
// second. Keys belong to the caller (an API key, or the admin). The answer is judged by HQ's data with
// the till's own core (evaluateTicket), then applied as an op of the caller's channel — a tills row
// that has no token (api-key-store.ts) — through the same push_ops() a till's push takes. So it meets
// the tills' redemptions in one conditional write under the voucher's lock: of a web shop and two
// offline tills redeeming one single-use code, exactly one is ACCEPTED, whoever comes first, and the
// others are CONFLICTs naming it. A gift card pays what is due (up to its balance), a loyalty card with
// its points (LOYALTY_SPEND); a code the core refuses is REJECTED with its validation reason and
// redeems nothing (a loyalty card with nothing to pay: `gift_balance_exhausted`).
import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { evaluateTicket } from '../core/evaluate-ticket';
import { normaliseCode } from '../core/code';
import type { OnlineRedemption, PushResult } from '../sync/protocol';
import { rowsOf, type Db } from './db/connect';
import { getVouchers } from './voucher-store';
import { programsById } from './loyalty-program-store';
import { toPushOp, type PushPolicy } from './push/steps';
import { HqError } from './hq-error';
import type { z } from 'zod';
import type { OnlineRedemptionRequestSchema } from '../sync/protocol';

export type OnlineRedemptionRequest = z.output<typeof OnlineRedemptionRequestSchema>;

/** Who redeems: whose keys these are (`principal`), and the channel whose op the redemption is. */
export type Channel = { principal: string; tillId: string; timeZone: string };

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
  const voucher = (await getVouchers(db, [code])).get(code);
  const loyaltyPrograms = voucher?.type === 'LOYALTY_CARD' ? await programsById(db, [voucher.campaign]) : undefined;
  const [r] = evaluateTicket(body.ticket, [{ code, voucher, spend_points: true }], { now: Date.now(), timeZone: channel.timeZone, online: true, ...(loyaltyPrograms ? { loyaltyPrograms } : {}) }).results;
  const id = randomUUID();
  // The redemption's ticket names the channel for the back office ("web-shop:<id>").
  const ticketId = `${body.channel ?? 'online'}:${id}`;
  const base = { id, code, discount_amount: 0, gift_amount: 0 };
  let refused: OnlineRedemption | null = null;
  let op: { op_id: string; type: 'REDEMPTION' | 'LOYALTY_SPEND'; occurred_at: string; payload: Record<string, unknown> } | null = null;
  const at = new Date().toISOString();
  if (!r!.valid) refused = { ...base, outcome: 'REJECTED', reason: r!.reason, ...(voucher ? { voucher } : {}) };
  else if (r!.type === 'LOYALTY_CARD') {
    if (r!.points_spent === 0) refused = { ...base, outcome: 'REJECTED', reason: 'gift_balance_exhausted', ...(voucher ? { voucher } : {}) };
    else op = { op_id: id, type: 'LOYALTY_SPEND', occurred_at: at, payload: { code, ticket_id: ticketId, points: r!.points_spent, amount: r!.gift_amount } };
  } else op = { op_id: id, type: 'REDEMPTION', occurred_at: at, payload: { code, ticket_id: ticketId, amount: r!.discount_amount + r!.gift_amount } };

  const toApply = op;
  const done = await db.transaction(async (tx) => {
    // Claimed first: a concurrent request with this key waits here until this one commits.
    const claimed = rowsOf(await tx.execute(sql`INSERT INTO idempotency_keys (principal, key, request_hash, response) VALUES (${channel.principal}, ${key}, ${requestHash}, '') ON CONFLICT DO NOTHING RETURNING key`));
    if (!claimed.length) return null;
    let answer = refused;
    let checkpoint = 0;
    if (toApply) {
      // The channel's next seq, under its row's lock (push_ops() takes the same lock again).
      const [till] = rowsOf<{ last_seq: string | number }>(await tx.execute(sql`SELECT last_seq FROM tills WHERE id = ${channel.tillId}::uuid FOR UPDATE`));
      const pushOp = toPushOp({ ...toApply, seq: Number(till!.last_seq) + 1 }, channel.tillId, policy);
      const [row] = rowsOf<{ r_result: string; r_checkpoint: string | number }>(await tx.execute(sql`SELECT * FROM push_ops(${channel.tillId}::uuid, ${JSON.stringify([pushOp])}::jsonb)`));
      const result = JSON.parse(row!.r_result) as Omit<PushResult, 'op_id'>;
      checkpoint = Number(row!.r_checkpoint);
      const accepted = result.outcome === 'ACCEPTED';
      answer = {
        ...base, outcome: result.outcome, ...(result.reason ? { reason: result.reason } : {}),
        discount_amount: accepted ? r!.discount_amount : 0, gift_amount: accepted ? r!.gift_amount : 0,
        ...(r!.valid && r!.type === 'LOYALTY_CARD' ? { points: accepted ? r!.points_spent : 0 } : {}),
        ...(result.overdraft ? { overdraft: true } : {}), ...(result.voucher ? { voucher: result.voucher } : {}),
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
