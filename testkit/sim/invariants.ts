// The properties every fault, crash and simulation test ends with, once the network is healed and
// every till has synced to quiescence. Written with node:assert (not vitest's expect) so the
// simulation script can run them outside vitest too.
import { withoutAssets } from '../fixtures';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import type { Op } from '../../sync/protocol';
import type { Voucher } from '../../core/voucher';
import type { LiveHq } from '../till-harness';
import { allVouchers } from '../../sync/replica/voucher-store';
import { activeAccepted, giftLedger, hqLastSeq, hqOpsOfTills, ledgerReplay, plain, type FaultyTill } from './tills';

/** Every op the tills created, by op_id (collected from their outboxes before anything could send them). */
export type OpLog = Map<string, Op & { tillId: string }>;

/** Record the ops now in the till's outbox. Call after every local sale / refund / gift sale. */
export async function collectOps(till: FaultyTill, log: OpLog): Promise<Op[]> {
  const fresh: Op[] = [];
  for (const op of await till.db.outbox.toArray()) {
    const known = log.get(op.op_id);
    if (known) {
      assert.deepEqual(plain({ ...op }), plain({ ...known, tillId: undefined }), `outbox op ${op.op_id} changed after it was written`);
      continue;
    }
    log.set(op.op_id, { ...op, tillId: till.tillId });
    fresh.push(op);
  }
  return fresh;
}

/** Sync every till until every outbox is empty, then once more so every replica has the final state. */
export async function syncToQuiescence(tills: readonly FaultyTill[], maxRounds = 8): Promise<void> {
  for (let round = 0; ; round++) {
    for (const till of tills) await till.syncNow();
    const pending = await Promise.all(tills.map((t) => t.db.outbox.count()));
    if (pending.every((n) => n === 0)) break;
    if (round >= maxRounds) {
      const errors = tills.map((t) => t.status().lastError?.message ?? 'no error');
      assert.fail(`outboxes still hold ${pending.join('/')} ops after ${round + 1} rounds of healthy syncs (${errors.join(' | ')})`);
    }
  }
  for (const till of tills) await till.syncNow();
}

/** All vouchers at HQ through the admin API (the same objects GET /v1/vouchers/{code} returns). */
export async function allHqVouchers(hq: LiveHq): Promise<Map<string, Voucher>> {
  const out = new Map<string, Voucher>();
  for (let offset = 0; ; offset += 500) {
    const res = await hq.admin({ method: 'GET', url: `/v1/vouchers?limit=500&offset=${offset}` });
    assert.equal(res.statusCode, 200, res.body);
    const page = res.json() as { result: Voucher[]; total: number };
    for (const v of page.result) out.set(v.code, withoutAssets(v));
    if (page.result.length < 500) return out;
  }
}

export type Expectations = {
  /** Discount vouchers in play, with their quantity (1 = single-use, null = unlimited). */
  discounts: ReadonlyMap<string, number | null>;
  /** Gift cards in play (created at HQ or sold at a till during the test). */
  gifts: ReadonlySet<string>;
  /** Expected HQ balance of a gift card, where the test knows it independently of the tills. */
  giftBalances?: ReadonlyMap<string, number>;
  /** Loyalty cards in play. */
  loyalty?: ReadonlySet<string>;
  /** Expected HQ points balance of a loyalty card, where the test knows it independently of the tills. */
  loyaltyBalances?: ReadonlyMap<string, number>;
  /** Tills whose last sync must have succeeded (default: all). */
  online?: boolean;
};

/**
 * The card's ledger, replayed in the order HQ wrote it, sums to its balance, and a debit or spend is
 * flagged `overdraft` exactly when it took the running balance below zero.
 */
async function checkOverdraws(hq: LiveHq, code: string, ledger: 'gift_ledger' | 'loyalty_ledger', balance: number): Promise<void> {
  let running = 0;
  for (const row of await ledgerReplay(hq, code, ledger)) {
    running += row.amount;
    if (row.kind === 'DEBIT' || row.kind === 'SPEND') assert.equal(row.overdraft, running < 0, `${code}: ${row.kind} ${row.redemption_id} took the balance to ${running}, flagged overdraft ${row.overdraft}`);
  }
  assert.equal(running, balance, `${code}: the ledger sums to ${running}, the card says ${balance}`);
}

function describeDiff(a: unknown, b: unknown): string {
  const left = JSON.stringify(a);
  const right = JSON.stringify(b);
  return `replica ${left}\n     HQ ${right}`;
}

/**
 * Nothing lost, nothing doubled, outboxes empty, replicas equal to HQ. `tills` are all the tills that
 * created ops in `log` (their latest incarnation after crashes).
 */
export async function checkQuiescent(hq: LiveHq, tills: readonly FaultyTill[], log: OpLog, expect: Expectations): Promise<void> {
  // Outboxes empty, status healthy.
  for (const till of tills) {
    assert.equal(await till.db.outbox.count(), 0, `till ${till.tillId}: outbox not empty`);
    if (expect.online !== false) {
      const s = till.status();
      assert.equal(s.online, true, `till ${till.tillId}: not online after healthy syncs (${s.lastError?.message})`);
      assert.equal(s.lastError, null, `till ${till.tillId}: lastError after healthy syncs`);
      assert.equal(s.pendingOps, 0, `till ${till.tillId}: status.pendingOps`);
    }
  }

  // Nothing lost, nothing extra: HQ holds exactly the ops the tills created, once each, under the
  // till and seq they were created with; HQ's last_seq is each till's highest seq.
  const tillIds = tills.map((t) => t.tillId);
  const rows = await hqOpsOfTills(hq, tillIds);
  const seen = new Map<string, number>();
  for (const row of rows) seen.set(row.op_id, (seen.get(row.op_id) ?? 0) + 1);
  for (const [opId, op] of log) {
    assert.equal(seen.get(opId.toLowerCase()) ?? 0, 1, `op ${op.type} ${opId} (till ${op.tillId} seq ${op.seq}) has ${seen.get(opId) ?? 0} rows at HQ`);
  }
  const byId = new Map(rows.map((r) => [r.op_id, r]));
  for (const row of rows) {
    const op = log.get(row.op_id);
    assert.ok(op, `HQ holds op ${row.op_id} (till ${row.till_id} seq ${row.seq}) that no till created`);
    assert.deepEqual([row.till_id, row.seq, row.type], [op.tillId, op.seq, op.type], `op ${row.op_id} stored under another till/seq/type`);
  }
  for (const till of tills) {
    const mine = [...log.values()].filter((o) => o.tillId === till.tillId).map((o) => o.seq);
    const max = mine.length ? Math.max(...mine) : 0;
    assert.deepEqual([...mine].sort((a, b) => a - b), Array.from({ length: mine.length }, (_, i) => i + 1), `till ${till.tillId}: seqs are not contiguous from 1`);
    assert.equal(await hqLastSeq(hq, till.tillId), max, `till ${till.tillId}: HQ last_seq`);
    assert.equal(Number((await till.db.meta.get('next_seq'))?.value ?? 1), max + 1, `till ${till.tillId}: next_seq`);
  }

  // Every till knows HQ's verdict on each of its redemptions; rollbacks were all accepted.
  const local = (await Promise.all(tills.map((t) => t.db.redemptions.toArray()))).flat();
  for (const r of local) {
    const row = byId.get(r.op_id.toLowerCase());
    assert.ok(row, `redemption ${r.op_id} never reached HQ`);
    assert.equal(r.status, row.outcome, `redemption ${r.op_id} (${r.code}): till says ${r.status}, HQ ${row.outcome}`);
  }
  for (const row of rows) {
    if (row.type === 'ROLLBACK' || row.type === 'GIFT_ISSUE') assert.equal(row.outcome, 'ACCEPTED', `${row.type} ${row.op_id} was ${row.outcome}`);
  }

  const vouchers = await allHqVouchers(hq);

  // Discounts: at most `quantity` accepted and not rolled back, and HQ's counter says exactly that.
  for (const [code, quantity] of expect.discounts) {
    const v = vouchers.get(code);
    assert.ok(v, `discount ${code} missing at HQ`);
    const accepted = await activeAccepted(hq, code);
    const tillsSay = local.filter((r) => r.code === code && r.status === 'ACCEPTED' && !r.rolled_back).length;
    if (quantity !== null) assert.ok(accepted <= quantity, `${code}: ${accepted} accepted redemptions for quantity ${quantity}`);
    assert.equal(v.redemption.redeemed_quantity, accepted, `${code}: redeemed_quantity vs accepted redemptions at HQ`);
    assert.equal(accepted, tillsSay, `${code}: HQ has ${accepted} accepted redemptions in force, the tills ${tillsSay}`);
  }

  // Gift cards: balance = amount − accepted debits + rollbacks, and the debits are exactly the tills'.
  for (const code of expect.gifts) {
    const v = vouchers.get(code);
    assert.ok(v && v.type === 'GIFT_VOUCHER', `gift card ${code} missing at HQ`);
    const ledger = await giftLedger(hq, code);
    const debits = local.filter((r) => r.code === code && r.status === 'ACCEPTED');
    const rolledBack = debits.filter((r) => r.rolled_back);
    assert.equal(ledger.debitRows, debits.length, `${code}: ${ledger.debitRows} debit rows at HQ for ${debits.length} accepted debits at the tills`);
    assert.equal(ledger.debits, debits.reduce((s, r) => s + r.amount, 0), `${code}: debited amount`);
    assert.equal(ledger.rollbackRows, rolledBack.length, `${code}: rollback rows`);
    assert.equal(ledger.rollbacks, rolledBack.reduce((s, r) => s + r.amount, 0), `${code}: rolled back amount`);
    assert.equal(v.gift.balance, v.gift.amount - ledger.debits + ledger.rollbacks, `${code}: balance vs ledger`);
    const expected = expect.giftBalances?.get(code);
    if (expected !== undefined) assert.equal(v.gift.balance, expected, `${code}: balance vs the sales made`);
    await checkOverdraws(hq, code, 'gift_ledger', v.gift.balance);
  }

  // Loyalty cards: balance = opening + earned − spent = the ledger's sum; the ledger's earns and spends
  // are exactly the tills' accepted ones (nothing earned twice), their reversals exactly the refunded
  // ones; every spend that took the balance below zero is flagged, and no other.
  for (const code of expect.loyalty ?? []) {
    const v = vouchers.get(code);
    assert.ok(v && v.type === 'LOYALTY_CARD', `loyalty card ${code} missing at HQ`);
    const rows = await ledgerReplay(hq, code, 'loyalty_ledger');
    const sum = (kind: string) => rows.filter((r) => r.kind === kind).reduce((s, r) => s + r.amount, 0);
    const mine = (kind: 'POINTS_EARNED' | 'POINTS_SPENT') => local.filter((r) => r.code === code && r.kind === kind && r.status === 'ACCEPTED');
    for (const [kind, ledgerKind, sign] of [['POINTS_EARNED', 'EARN', 1], ['POINTS_SPENT', 'SPEND', -1]] as const) {
      const made = mine(kind);
      assert.deepEqual(
        rows.filter((r) => r.kind === ledgerKind).map((r) => r.redemption_id).sort(),
        made.map((r) => r.op_id.toLowerCase()).sort(),
        `${code}: ${ledgerKind} rows at HQ are not the tills' accepted ${kind} ops`,
      );
      assert.equal(sum(ledgerKind), sign * made.reduce((s, r) => s + (r.points ?? 0), 0) + 0, `${code}: ${ledgerKind} points`); // + 0: never −0
      assert.deepEqual(
        rows.filter((r) => r.kind === `${ledgerKind}_REVERSAL`).map((r) => r.redemption_id).sort(),
        made.filter((r) => r.rolled_back).map((r) => r.op_id.toLowerCase()).sort(),
        `${code}: ${ledgerKind}_REVERSAL rows are not the refunded ones`,
      );
    }
    const earnTickets = mine('POINTS_EARNED').map((r) => r.ticket_id);
    assert.equal(new Set(earnTickets).size, earnTickets.length, `${code}: a ticket earned twice`);
    assert.equal(v.loyalty.earned, sum('EARN') + sum('EARN_REVERSAL'), `${code}: earned vs ledger`);
    assert.equal(v.loyalty.spent, 0 - (sum('SPEND') + sum('SPEND_REVERSAL')), `${code}: spent vs ledger`);
    const expected = expect.loyaltyBalances?.get(code);
    if (expected !== undefined) assert.equal(v.loyalty.balance, expected, `${code}: points balance vs the sales made`);
    await checkOverdraws(hq, code, 'loyalty_ledger', v.loyalty.balance);
  }

  // Every replica equals HQ, voucher by voucher, and holds every voucher HQ has.
  for (const till of tills) {
    const replica = await allVouchers(till.db);
    for (const mine of replica) {
      const theirs = vouchers.get(mine.code);
      assert.ok(theirs, `till ${till.tillId} holds ${mine.code}, which HQ does not have`);
      if (!isDeepStrictEqual(plain(mine), plain(theirs))) assert.fail(`till ${till.tillId}: replica of ${mine.code} differs from HQ\n${describeDiff(mine, theirs)}`);
    }
    assert.equal(replica.length, vouchers.size, `till ${till.tillId}: replica holds ${replica.length} vouchers, HQ ${vouchers.size}`);
  }
}
