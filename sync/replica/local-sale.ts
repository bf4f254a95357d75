// Completing a ticket at the till: ONE Dexie transaction writes the ticket, its redemption rows, their
// outbox ops (uuid op_id + the till's next seq) and the replica's voucher updates — all or nothing.
// The vouchers are re-read and the ticket re-evaluated inside that transaction, so a voucher another
// window used a moment ago is caught here, not at HQ.
import type { Ticket } from '../../core/ticket';
import type { ValidationContext } from '../../core/validation-context';
import { evaluateTicket } from '../../core/evaluate-ticket';
import { normaliseCode } from '../../core/code';
import { VoucherSchema, voucherDefaults, type Voucher } from '../../core/voucher';
import type { Op } from '../protocol';
import type { ReplicaDb } from './db';
import type { CardBalance, Payment, RedemptionRow, StoreCredit, TicketRow } from './rows';
import { movePoints, redeemVoucher, topUpVoucher } from '../../core/voucher-effects';
import type { VoucherResult } from '../../core/evaluate-ticket';
import { applyEffect, undoEffect } from './rebase';
import { programsFor } from './loyalty-programs';
import { readMeta, writeMeta } from './meta';
import { SaleError } from './sale-error';
import { getVoucher, getVouchers } from './voucher-store';

/** An op a sale makes for one of its vouchers, and the row a refund undoes it by. */
type SaleMove = { type: 'REDEMPTION'; kind: 'DISCOUNT' | 'GIFT'; amount: number } | { type: 'LOYALTY_SPEND' | 'LOYALTY_EARN'; kind: 'POINTS_SPENT' | 'POINTS_EARNED'; amount: number; points: number };

/**
 * What a sale records for one voucher's result: a voucher that took something off, or a gift card that
 * paid something, is one REDEMPTION; a loyalty card spends (LOYALTY_SPEND) and earns (LOYALTY_EARN) what
 * it did, each an op of its own (a refund reverses both). Nothing for what took, paid or earned nothing.
 */
export function saleMoves(r: VoucherResult): SaleMove[] {
  if (!r.valid) return [];
  if (r.type === 'LOYALTY_CARD') {
    return [
      ...(r.points_spent > 0 ? [{ type: 'LOYALTY_SPEND' as const, kind: 'POINTS_SPENT' as const, amount: r.gift_amount, points: r.points_spent }] : []),
      ...(r.points_earned > 0 ? [{ type: 'LOYALTY_EARN' as const, kind: 'POINTS_EARNED' as const, amount: 0, points: r.points_earned }] : []),
    ];
  }
  const amount = r.discount_amount + r.gift_amount;
  return amount > 0 ? [{ type: 'REDEMPTION', kind: r.type === 'GIFT_VOUCHER' ? 'GIFT' : 'DISCOUNT', amount }] : [];
}

/** `spendPoints`: the ticket's loyalty card pays with its points (it earns either way). */
export type SaleInput = { ticketId?: string; ticket: Ticket; codes: string[]; payments: Payment[]; spendPoints?: boolean };

const uuid = () => globalThis.crypto.randomUUID();

async function nextSeq(db: ReplicaDb): Promise<number> {
  return (await readMeta(db, 'next_seq')) ?? 1;
}

async function takeSeqs(db: ReplicaDb, count: number): Promise<number> {
  const next = await nextSeq(db);
  await writeMeta(db, 'next_seq', next + count);
  return next;
}

export async function completeSale(db: ReplicaDb, input: SaleInput, ctx: ValidationContext): Promise<TicketRow> {
  const codes = input.codes.map(normaliseCode);
  const ticketId = input.ticketId ?? uuid();
  const at = new Date(ctx.now).toISOString();
  return db.transaction('rw', [db.vouchers, db.voucherChunks, db.loyaltyPrograms, db.tickets, db.redemptions, db.outbox, db.meta], async () => {
    // Every read at once, then every write at once: IndexedDB runs a transaction's requests in order,
    // so waiting for each before making the next only added a round trip per request (most of a
    // sale's time in Chromium).
    const [found, firstSeq] = await Promise.all([getVouchers(db, codes), nextSeq(db)]);
    // A loyalty card is valued by the programs the replica holds now (one more read, only with a card).
    const loyaltyPrograms = found.some((v) => v?.type === 'LOYALTY_CARD') ? await programsFor(db, found) : ctx.loyaltyPrograms;
    const entries = codes.map((code, i) => ({ code, voucher: found[i], spend_points: input.spendPoints === true }));
    const evaluation = evaluateTicket(input.ticket, entries, loyaltyPrograms ? { ...ctx, loyaltyPrograms } : ctx);
    const refused = evaluation.results.find((r) => !r.valid);
    if (refused && !refused.valid) {
      throw new SaleError('voucher_invalid', `Voucher ${refused.code} can no longer be used (${refused.reason}).`, { code: refused.code, voucherReason: refused.reason });
    }
    const paid = input.payments.reduce((sum, p) => sum + (p.method === 'CASH' ? p.tendered - p.change : p.amount), 0);
    if (paid < evaluation.amount_due) throw new SaleError('underpaid', `Payments cover ${paid} of ${evaluation.amount_due}.`);

    let seq = firstSeq;
    const ops: Op[] = [];
    const rows: RedemptionRow[] = [];
    const redeemed: Voucher[] = [];
    const balances: CardBalance[] = [];
    evaluation.results.forEach((r, i) => {
      let voucher = found[i]!;
      const moves = saleMoves(r);
      for (const move of moves) {
        const op: Op =
          move.type === 'REDEMPTION'
            ? { op_id: uuid(), seq: seq++, type: 'REDEMPTION', occurred_at: at, payload: { code: voucher.code, ticket_id: ticketId, amount: move.amount } }
            : move.type === 'LOYALTY_SPEND'
              ? { op_id: uuid(), seq: seq++, type: 'LOYALTY_SPEND', occurred_at: at, payload: { code: voucher.code, ticket_id: ticketId, points: move.points, amount: move.amount } }
              : { op_id: uuid(), seq: seq++, type: 'LOYALTY_EARN', occurred_at: at, payload: { code: voucher.code, ticket_id: ticketId, points: move.points } };
        ops.push(op);
        rows.push({
          op_id: op.op_id, seq: op.seq, code: voucher.code, ticket_id: ticketId, kind: move.kind, amount: move.amount, ...(move.type === 'REDEMPTION' ? {} : { points: move.points }),
          status: 'PENDING', rolled_back: false, created_at: at,
        });
        const after = move.type === 'REDEMPTION' ? redeemVoucher(voucher, move.amount, at) : movePoints(voucher, move.type === 'LOYALTY_SPEND' ? 'spend' : 'earn', move.points, at);
        // evaluateTicket refused what HQ would refuse, and more: a refusal here is a bug between the two.
        if (!after.ok) throw new SaleError('voucher_invalid', `Voucher ${voucher.code} can no longer be used (${after.reason}).`, { code: voucher.code });
        voucher = after.voucher;
      }
      if (moves.length) redeemed.push(voucher);
      if (r.valid && voucher.type === 'GIFT_VOUCHER') balances.push({ code: voucher.code, kind: 'GIFT', balance: voucher.gift.balance });
      if (r.valid && voucher.type === 'LOYALTY_CARD') balances.push({ code: voucher.code, kind: 'LOYALTY', balance: voucher.loyalty.balance });
    });
    const row: TicketRow = { id: ticketId, ticket: input.ticket, codes, evaluation, payments: input.payments, completed_at: at, ...(balances.length ? { balances } : {}) };
    await Promise.all([
      writeMeta(db, 'next_seq', seq),
      redeemed.length ? db.vouchers.bulkPut(redeemed) : undefined,
      db.tickets.add(row),
      rows.length ? db.redemptions.bulkAdd(rows) : undefined,
      ops.length ? db.outbox.bulkAdd(ops) : undefined,
    ]);
    return row;
  });
}

/**
 * Refund: roll back every redemption of a completed ticket (ROLLBACK ops), once. With `credit`, what was
 * paid beyond vouchers and gift cards (the ticket's amount due: a gift card's part goes back onto that
 * card by its rollback) becomes store credit, in the same transaction, offline too: a new gift card
 * from the till's leased codes (GIFT_ISSUE) or the customer's card (GIFT_TOP_UP). Either way it is money
 * HQ must honour, so it is capped by `maxCredit`, the till's gift-card limit (HQ refuses more than its
 * own maximum for both ops).
 */
export async function refundSale(db: ReplicaDb, ticketId: string, now: number, credit?: StoreCredit, maxCredit = Number.MAX_SAFE_INTEGER): Promise<{ ticket: TicketRow; rolledBack: RedemptionRow[]; credited?: Voucher }> {
  const at = new Date(now).toISOString();
  return db.transaction('rw', [db.vouchers, db.voucherChunks, db.tickets, db.redemptions, db.outbox, db.meta, db.codeLeases], async () => {
    const ticket = await db.tickets.get(ticketId);
    if (!ticket) throw new SaleError('unknown_ticket', `No completed ticket ${ticketId} at this till.`);
    if (ticket.refunded_at) throw new SaleError('already_refunded', `Ticket ${ticketId} was already refunded on ${ticket.refunded_at}.`, { refundedAt: ticket.refunded_at });
    // A redemption HQ refused never took effect: nothing to give back.
    const redemptions = (await db.redemptions.where('ticket_id').equals(ticketId).toArray()).filter((r) => !r.rolled_back && r.status !== 'REJECTED' && r.status !== 'CONFLICT');
    let seq = await takeSeqs(db, redemptions.length);
    for (const r of redemptions) {
      await db.outbox.add({ op_id: uuid(), seq: seq++, type: 'ROLLBACK', occurred_at: at, payload: { redemption_op_id: r.op_id } });
      await db.redemptions.update(r.op_id, { rolled_back: true });
      const voucher = await getVoucher(db, r.code);
      if (voucher) await db.vouchers.put(applyEffect(voucher, undoEffect(r)));
    }
    let credited: Voucher | undefined;
    if (credit) {
      const amount = ticket.evaluation.amount_due;
      if (amount <= 0) throw new SaleError('nothing_to_credit', 'Nothing was paid on this ticket beyond vouchers and gift cards: there is no store credit to give.');
      if (amount > maxCredit) throw new SaleError('credit_too_high', `Store credit at this till may be at most ${maxCredit} minor units.`, { limit: maxCredit });
      credited = credit.to === 'new' ? await issueFromLease(db, amount, ticket.ticket.currency, at, maxCredit) : await topUpCard(db, credit.code, amount, ticket.ticket.currency, ticketId, at);
    }
    const refunded: TicketRow = { ...ticket, refunded_at: at, ...(credited && credit ? { credit: { to: credit.to, code: credited.code } } : {}) };
    await db.tickets.put(refunded);
    return { ticket: refunded, rolledBack: redemptions.map((r) => ({ ...r, rolled_back: true })), ...(credited ? { credited } : {}) };
  });
}

/** Store credit onto an existing gift card of the replica (core's top-up rule), announced to HQ as GIFT_TOP_UP. */
async function topUpCard(db: ReplicaDb, raw: string, amount: number, currency: string, ticketId: string, at: string): Promise<Voucher> {
  const code = normaliseCode(raw);
  const card = await getVoucher(db, code);
  if (!card) throw new SaleError('unknown_card', `This till does not know a gift card ${code}.`, { code });
  // The op names no currency (contract): the till, which knows the ticket's, is where a mismatch is caught.
  if (card.currency !== currency) throw new SaleError('card_currency', `Gift card ${code} holds ${card.currency}; this ticket was paid in ${currency}.`, { code });
  const topped = topUpVoucher(card, amount);
  if (!topped.ok) throw new SaleError('card_refused', `Gift card ${code} cannot take store credit (${topped.reason}).`, { code, reason: topped.reason });
  await db.vouchers.put(topped.voucher);
  await db.outbox.add({ op_id: uuid(), seq: await takeSeqs(db, 1), type: 'GIFT_TOP_UP', occurred_at: at, payload: { code, amount, ticket_id: ticketId } });
  return topped.voucher;
}

/**
 * Sell a gift card from a leased code. `maxAmount` is the till's policy: a card is money HQ must honour
 * once the till pushes it, and offline nobody else can check a mistyped amount, so the till refuses
 * more than its policy allows (HQ also refuses GIFT_ISSUE above its own maximum).
 */
export async function issueGiftCard(db: ReplicaDb, amount: number, currency: string, now: number, maxAmount: number): Promise<Voucher> {
  const at = new Date(now).toISOString();
  return db.transaction('rw', [db.vouchers, db.codeLeases, db.outbox, db.meta], async () => issueFromLease(db, amount, currency, at, maxAmount));
}

/** A gift card from a code leased to this till, inside the caller's transaction: usable at once, announced to HQ as GIFT_ISSUE. */
async function issueFromLease(db: ReplicaDb, amount: number, currency: string, at: string, maxAmount: number): Promise<Voucher> {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new SaleError('bad_amount', 'A gift card needs a positive amount in minor units.');
  if (amount > maxAmount) throw new SaleError('gift_amount_too_high', `A gift card sold at this till may hold at most ${maxAmount} minor units.`, { limit: maxAmount });
  const lease = await db.codeLeases.where('used').equals(0).first();
  if (!lease) throw new SaleError('no_gift_codes', 'No gift-card codes are left at this till; connect to HQ to get more.');
  await db.codeLeases.update(lease.code, { used: 1 });
  const voucher = VoucherSchema.parse({
    ...voucherDefaults(), code: lease.code, type: 'GIFT_VOUCHER', label: 'Gift card', currency, discount: null, gift: { amount, balance: amount },
    redemption: { quantity: null, redeemed_quantity: 0 }, status: 'ACTIVE', used_at: null, created_at: at, updated_at: at,
  });
  await db.vouchers.put(voucher);
  await db.outbox.add({ op_id: uuid(), seq: await takeSeqs(db, 1), type: 'GIFT_ISSUE', occurred_at: at, payload: { code: lease.code, amount, currency } });
  return voucher;
}
