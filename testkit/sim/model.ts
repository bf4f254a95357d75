// The multi-till simulation, shared by test/sim/multi-till.test.ts and scripts/sim.ts.
//
// One run: fresh vouchers at HQ (single-use discounts shared by all tills, a multi-use one, gift
// cards, loyalty cards of one program), 2..6 fresh tills loaded while online, then a random schedule of
// cashier and network events: sales with some of the shared codes (validated first, like the UI; a
// loyalty card earns, and pays with its points when the sale says so), refunds (to the card paid with,
// or as store credit onto a new or an existing gift card), gift-card sales, a
// till going offline and online, crash + restart (idle, during a sync, or during a sale), syncs and
// pulls under injected faults, concurrent syncs. Then the network heals, every till syncs until every
// outbox is empty (and once more), and the invariants of ./invariants.ts must hold.
import fc from 'fast-check';
import type { TicketRow } from '../../sync/replica/rows';
import type { LiveHq } from '../till-harness';
import { isChanges, isPush, NONE, scripted, type Fault } from '../fault-fetch';
import { sql } from 'drizzle-orm';
import { hqRows, hqVoucher, newFaultyTill, reopenTill, type FaultyTill } from './tills';
import { checkQuiescent, collectOps, syncToQuiescence, type OpLog } from './invariants';
import { giftCard, loyaltyCards, multiUse, singleUse, ticketOf } from './shop';
import { ticketGross } from '../../core/ticket';

export type Line = { quantity: number; unit_price: number };

export type Action =
  /** `codes` index the pool of codes (mod its size); `crashAfterTicks` crashes the till that many microtask ticks into completeTicket. */
  | { t: 'sale'; till: number; codes: number[]; lines: Line[]; crashAfterTicks: number | null; spendPoints?: boolean }
  /** `credit`: store credit onto a new gift card, or onto the gift card `card` indexes (of the run's gift cards, mod their number). */
  | { t: 'refund'; till: number; pick: number; credit?: 'new' | 'card'; card?: number }
  | { t: 'gift'; till: number; amount: number }
  | { t: 'offline'; till: number }
  | { t: 'online'; till: number }
  | { t: 'crash'; till: number }
  /**
   * Start a sync under these faults and crash as its `atCall`-th request to HQ (0-based) goes out — or
   * when it ends, if it makes fewer. Counted in requests, not milliseconds, so a seed replays the same
   * crash on any machine.
   */
  | { t: 'crashDuringSync'; till: number; atCall: number; faults: Fault[] }
  | { t: 'sync'; till: number; faults: Fault[] }
  | { t: 'syncMany'; tills: number[]; faults: Fault[][] }
  | { t: 'pull'; till: number; faults: Fault[] }
  /** The back office edits a voucher of the pool at HQ (a change every till must pull). */
  | { t: 'edit'; code: number }
  /** The back office cancels a voucher of the pool: pending redemptions of it become conflicts. */
  | { t: 'cancel'; code: number };

export type Scenario = {
  tills: number;
  singleUse: number;
  /** quantity of the multi-use discount (null = unlimited). */
  multiUse: number | null;
  gifts: number[];
  /** Opening balances of loyalty cards (absent: none; the pool's codes come after the gift cards). */
  loyalty?: number[];
  actions: Action[];
};

// ---- arbitraries -----------------------------------------------------------------------------------

export const faultArb: fc.Arbitrary<Fault> = fc.oneof(
  { arbitrary: fc.constant(NONE), weight: 6 },
  { arbitrary: fc.constant<Fault>({ kind: 'drop-request' }), weight: 2 },
  { arbitrary: fc.constant<Fault>({ kind: 'drop-response' }), weight: 4 },
  { arbitrary: fc.boolean().map<Fault>((concurrent) => ({ kind: 'duplicate', concurrent })), weight: 2 },
  { arbitrary: fc.record({ ms: fc.integer({ min: 1, max: 25 }), where: fc.constantFrom('before' as const, 'after' as const) }).map<Fault>((d) => ({ kind: 'delay', ...d })), weight: 2 },
  { arbitrary: fc.constantFrom<Fault>({ kind: 'server-error', status: 500 }, { kind: 'server-error', status: 502 }), weight: 1 },
  { arbitrary: fc.integer({ min: 1, max: 5 }).map<Fault>((retryAfterSeconds) => ({ kind: 'rate-limit', retryAfterSeconds })), weight: 1 },
  {
    arbitrary: fc.record({ mode: fc.constantFrom('short' as const, 'broken' as const), keep: fc.integer({ min: 0, max: 9 }).map((k) => k / 10) }).map<Fault>((t) => ({ kind: 'truncate', ...t })),
    weight: 1,
  },
  { arbitrary: fc.record({ real: fc.boolean(), variant: fc.constantFrom('nulls' as const, 'empty-results' as const) }).map<Fault>((w) => ({ kind: 'wrong-shape', ...w })), weight: 1 },
);

const faultsArb = fc.array(faultArb, { maxLength: 3 });
// Most actions at tills 0 and 1, so that their ops meet (same vouchers, same till syncing and pulling).
const tillArb = fc.oneof({ arbitrary: fc.constantFrom(0, 1), weight: 3 }, { arbitrary: fc.nat({ max: 5 }), weight: 2 });
const lineArb = fc.record({ quantity: fc.integer({ min: 1, max: 3 }), unit_price: fc.integer({ min: 2, max: 30 }).map((p) => p * 100) });

export const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    arbitrary: fc.record({
      t: fc.constant('sale' as const),
      till: tillArb,
      codes: fc.array(fc.nat({ max: 31 }), { minLength: 1, maxLength: 3 }),
      lines: fc.array(lineArb, { minLength: 1, maxLength: 2 }),
      crashAfterTicks: fc.oneof({ arbitrary: fc.constant(null), weight: 9 }, { arbitrary: fc.nat({ max: 60 }), weight: 1 }),
      spendPoints: fc.boolean(),
    }),
    weight: 8,
  },
  {
    arbitrary: fc.record({ t: fc.constant('refund' as const), till: tillArb, pick: fc.nat({ max: 7 }), credit: fc.constantFrom(undefined, 'new' as const, 'card' as const), card: fc.nat({ max: 7 }) }),
    weight: 2,
  },
  { arbitrary: fc.record({ t: fc.constant('gift' as const), till: tillArb, amount: fc.integer({ min: 1, max: 50 }).map((a) => a * 100) }), weight: 2 },
  { arbitrary: fc.record({ t: fc.constant('offline' as const), till: tillArb }), weight: 2 },
  { arbitrary: fc.record({ t: fc.constant('online' as const), till: tillArb }), weight: 2 },
  { arbitrary: fc.record({ t: fc.constant('crash' as const), till: tillArb }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('crashDuringSync' as const), till: tillArb, atCall: fc.integer({ min: 0, max: 3 }), faults: faultsArb }), weight: 2 },
  { arbitrary: fc.record({ t: fc.constant('sync' as const), till: tillArb, faults: faultsArb }), weight: 6 },
  { arbitrary: fc.record({ t: fc.constant('syncMany' as const), tills: fc.uniqueArray(tillArb, { minLength: 2, maxLength: 4 }), faults: fc.array(faultsArb, { minLength: 4, maxLength: 4 }) }), weight: 3 },
  { arbitrary: fc.record({ t: fc.constant('pull' as const), till: tillArb, faults: faultsArb }), weight: 4 },
  { arbitrary: fc.record({ t: fc.constant('edit' as const), code: fc.nat({ max: 31 }) }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('cancel' as const), code: fc.nat({ max: 31 }) }), weight: 1 },
);

export function scenarioArb(maxActions = 20): fc.Arbitrary<Scenario> {
  return fc.record({
    tills: fc.oneof({ arbitrary: fc.integer({ min: 2, max: 3 }), weight: 3 }, { arbitrary: fc.integer({ min: 2, max: 6 }), weight: 2 }),
    singleUse: fc.integer({ min: 1, max: 3 }),
    multiUse: fc.option(fc.integer({ min: 2, max: 3 }), { nil: null }),
    gifts: fc.array(fc.integer({ min: 5, max: 60 }).map((a) => a * 100), { minLength: 1, maxLength: 3 }),
    loyalty: fc.array(fc.integer({ min: 0, max: 30 }).map((p) => p * 100), { maxLength: 2 }),
    actions: fc.array(actionArb, { maxLength: maxActions, size: 'max' }),
  });
}

// ---- running a scenario ----------------------------------------------------------------------------

const syncCalls = (call: { path: string }) => isPush(call) || isChanges(call);

type Sale = { till: number; row: TicketRow; refunded: boolean };

export type RunStats = {
  sales: number; crashedSales: number; refunds: number; gifts: number; ops: number; crashes: number; syncs: number; faults: number;
  /** Loyalty ops made (earns and spends) and refunds that gave store credit (a new card or a top-up). */
  pointsOps: number; credits: number;
  /** Gift debits and points spends HQ flagged as overdraws (two offline tills spending the same balance). */
  overdraws: number;
  /** Of those, points spends. */
  pointsOverdraws: number;
};

export const NO_STATS: RunStats = { sales: 0, crashedSales: 0, refunds: 0, gifts: 0, ops: 0, crashes: 0, syncs: 0, faults: 0, pointsOps: 0, credits: 0, overdraws: 0, pointsOverdraws: 0 };

/** The reasons a refund's store credit is refused at the till (nothing written): the sim then refunds without it. */
const CREDIT_REFUSALS = new Set(['nothing_to_credit', 'credit_too_high', 'unknown_card', 'card_refused', 'card_currency', 'no_gift_codes', 'gift_amount_too_high']);

async function ticks(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await Promise.resolve();
}

/** Run one scenario against a live HQ; throws (an AssertionError with the detail) if an invariant breaks. */
export async function runScenario(hq: LiveHq, s: Scenario, options: { trace?: (line: string) => void } = {}): Promise<RunStats> {
  const trace = options.trace ?? (() => {});
  const stats: RunStats = { ...NO_STATS };
  const single = await Promise.all(Array.from({ length: s.singleUse }, () => singleUse(hq, 300, 'SIM-S')));
  const multi = await multiUse(hq, s.multiUse, 'SIM-M');
  const gifts = await Promise.all(s.gifts.map((amount) => giftCard(hq, amount, 'SIM-G')));
  const cards = s.loyalty?.length ? await loyaltyCards(hq, s.loyalty, 'SIM-L') : [];
  trace('vouchers');
  const tills: FaultyTill[] = [];
  for (let i = 0; i < s.tills; i++) tills.push(await newFaultyTill(hq, { name: `Sim ${i}` }));
  try {
    await Promise.all(tills.map((t) => t.initialLoad()));
    await Promise.all(tills.map((t) => t.net.idle()));
    trace('loaded');
    const log: OpLog = new Map();
    const sales: Sale[] = [];
    const issued: string[] = [];
    const issuedAmounts = new Map<string, number>();
    const toppedUp = new Map<string, number>();
    const cancelled = new Set<string>();
    const pool = () => [...single.map((v) => v.code), multi.code, ...gifts.map((v) => v.code), ...cards.map((v) => v.code), ...issued];
    const at = (i: number) => i % tills.length;

    async function restart(i: number): Promise<void> {
      stats.crashes += 1;
      const old = tills[at(i)]!;
      tills[at(i)] = await reopenTill(hq, old);
      await collectOps(tills[at(i)]!, log);
    }

    async function syncUnder(i: number, faults: Fault[]): Promise<void> {
      const till = tills[at(i)]!;
      stats.syncs += 1;
      stats.faults += faults.filter((f) => f.kind !== 'none').length;
      till.net.setPlan(scripted(faults, { match: syncCalls }));
      try {
        await till.syncNow();
        await till.net.idle();
      } finally {
        till.net.setPlan(() => NONE);
      }
    }

    for (const [n, a] of s.actions.entries()) {
      trace(`#${n} ${JSON.stringify(a)}`);
      switch (a.t) {
        case 'sale': {
          const i = at(a.till);
          const till = tills[i]!;
          const codes = pool();
          const wanted = a.codes.map((c) => codes[c % codes.length]!);
          const ticket = ticketOf(a.lines);
          const applied: string[] = [];
          for (const code of wanted) {
            const check = await till.validate(code, ticket, applied);
            if (check.valid) applied.push(check.code);
          }
          if (!applied.length) break;
          const ticketId = `sim-${crypto.randomUUID()}`;
          const sale = till.completeTicket({ ticketId, ticket, codes: applied, spendPoints: a.spendPoints === true, payments: [{ method: 'CARD', amount: ticketGross(ticket) }] });
          if (a.crashAfterTicks === null) {
            sales.push({ till: i, row: await sale, refunded: false });
            stats.sales += 1;
            stats.pointsOps += (await collectOps(till, log)).filter((op) => op.type === 'LOYALTY_EARN' || op.type === 'LOYALTY_SPEND').length;
            break;
          }
          // Crash during the sale: it either committed whole or left nothing.
          await ticks(a.crashAfterTicks);
          till.db.close();
          const committed = await sale.then(
            () => true,
            () => false,
          );
          await till.net.idle();
          await restart(i);
          const again = tills[i]!;
          const row = await again.db.tickets.get(ticketId);
          const redemptions = await again.db.redemptions.where('ticket_id').equals(ticketId).count();
          const inOutbox = (await again.db.outbox.toArray()).filter((op) => (op.type === 'REDEMPTION' || op.type === 'LOYALTY_EARN' || op.type === 'LOYALTY_SPEND') && op.payload.ticket_id === ticketId).length;
          if (row) {
            sales.push({ till: i, row, refunded: false });
            stats.sales += 1;
            if (redemptions !== inOutbox || redemptions === 0) throw new Error(`sale ${ticketId}: ${redemptions} redemption rows but ${inOutbox} outbox ops after a crash`);
          } else {
            stats.crashedSales += 1;
            if (committed) throw new Error(`sale ${ticketId} was reported complete but is gone after the crash`);
            if (redemptions || inOutbox) throw new Error(`sale ${ticketId} failed but left ${redemptions} redemptions / ${inOutbox} outbox ops`);
          }
          break;
        }
        case 'refund': {
          const i = at(a.till);
          const mine = sales.filter((x) => x.till === i && !x.refunded);
          if (!mine.length) break;
          const sale = mine[a.pick % mine.length]!;
          const giftCodes = [...gifts.map((v) => v.code), ...issued];
          const credit = a.credit === 'new' ? ({ to: 'new' } as const) : a.credit === 'card' && giftCodes.length ? ({ to: 'card', code: giftCodes[(a.card ?? 0) % giftCodes.length]! } as const) : undefined;
          const refunded = await tills[i]!.refundTicket(sale.row.id, credit).catch((e: unknown) => {
            // A credit the till refuses writes nothing: the cashier gives the money back instead.
            if (credit && CREDIT_REFUSALS.has(String((e as { reason?: string }).reason))) return tills[i]!.refundTicket(sale.row.id);
            throw e;
          });
          await tills[i]!.net.idle(); // the background top-up of leased codes
          if (refunded.credited && credit) {
            const amount = sale.row.evaluation.amount_due;
            if (credit.to === 'new') {
              issued.push(refunded.credited.code);
              issuedAmounts.set(refunded.credited.code, amount);
            } else toppedUp.set(refunded.credited.code, (toppedUp.get(refunded.credited.code) ?? 0) + amount);
            stats.credits += 1;
          }
          sale.refunded = true;
          stats.refunds += 1;
          await collectOps(tills[i]!, log);
          break;
        }
        case 'gift': {
          const till = tills[at(a.till)]!;
          const card = await till.issueGiftCard(a.amount).catch((e: unknown) => {
            if ((e as { reason?: string }).reason === 'no_gift_codes') return null;
            throw e;
          });
          await till.net.idle(); // the background top-up of leased codes
          if (card) {
            issued.push(card.code);
            issuedAmounts.set(card.code, a.amount);
            stats.gifts += 1;
            await collectOps(till, log);
          }
          break;
        }
        case 'offline':
          tills[at(a.till)]!.net.offline = true;
          break;
        case 'online':
          tills[at(a.till)]!.net.offline = false;
          break;
        case 'crash':
          tills[at(a.till)]!.db.close();
          await restart(a.till);
          break;
        case 'crashDuringSync': {
          const till = tills[at(a.till)]!;
          const plan = scripted(a.faults, { match: syncCalls });
          let crash!: () => void;
          const crashed = new Promise<void>((resolve) => (crash = resolve));
          let calls = 0;
          till.net.setPlan((call) => {
            if (syncCalls(call) && calls++ === a.atCall) crash();
            return plan(call);
          });
          const cycle = till.syncNow();
          // The request is on its way (the network answers in a later task); the till dies under it.
          await Promise.race([crashed, cycle]);
          till.db.close();
          await cycle; // the dead process's cycle ends (its writes fail on the closed database)
          await till.net.idle();
          till.net.setPlan(() => NONE);
          await restart(a.till);
          break;
        }
        case 'sync':
          await syncUnder(a.till, a.faults);
          break;
        case 'syncMany': {
          const targets = [...new Set(a.tills.map(at))];
          await Promise.all(targets.map((i, k) => syncUnder(i, a.faults[k] ?? [])));
          break;
        }
        case 'edit': {
          const codes = pool();
          const code = codes[a.code % codes.length]!;
          if (!(await hqVoucher(hq, code))) break; // a card sold at a till that HQ has not heard of yet
          const res = await hq.admin({ method: 'PUT', url: `/v1/vouchers/${code}`, payload: { label: `edited at step ${n}` } });
          if (res.statusCode !== 200) throw new Error(`edit ${code}: ${res.statusCode} ${res.body}`);
          break;
        }
        case 'cancel': {
          const codes = pool();
          const code = codes[a.code % codes.length]!;
          if (!(await hqVoucher(hq, code))) break;
          const res = await hq.admin({ method: 'POST', url: `/v1/vouchers/${code}/cancel` });
          if (res.statusCode !== 200) throw new Error(`cancel ${code}: ${res.statusCode} ${res.body}`);
          cancelled.add(code);
          break;
        }
        case 'pull': {
          const till = tills[at(a.till)]!;
          till.net.setPlan(scripted(a.faults, { match: syncCalls }));
          await till.engine.pullAll().catch(() => undefined);
          await till.net.idle();
          till.net.setPlan(() => NONE);
          break;
        }
      }
    }

    // Heal everything, sync to quiescence, check.
    trace('heal');
    for (const till of tills) {
      till.net.offline = false;
      till.net.setPlan(() => NONE);
    }
    await syncToQuiescence(tills);
    trace('quiescent');
    stats.ops = log.size;

    const giftBalances = new Map<string, number>();
    for (const v of gifts) giftBalances.set(v.code, v.gift!.amount);
    for (const [code, amount] of issuedAmounts) giftBalances.set(code, amount);
    for (const [code, amount] of toppedUp) giftBalances.set(code, (giftBalances.get(code) ?? 0) + amount);
    const loyaltyBalances = new Map(cards.map((v) => [v.code, v.type === 'LOYALTY_CARD' ? v.loyalty.balance : 0]));
    // A debit that reached HQ after the card was cancelled is a conflict, not a debit: which ones
    // did depends on timing, so a cancelled card is checked against the ledger and the tills only.
    for (const code of cancelled) {
      giftBalances.delete(code);
      loyaltyBalances.delete(code);
    }
    for (const sale of sales) {
      if (sale.refunded) continue;
      for (const r of sale.row.evaluation.results) {
        if (r.valid && r.type === 'GIFT_VOUCHER' && r.gift_amount > 0 && giftBalances.has(r.code)) giftBalances.set(r.code, giftBalances.get(r.code)! - r.gift_amount);
        if (r.valid && r.type === 'LOYALTY_CARD' && loyaltyBalances.has(r.code)) loyaltyBalances.set(r.code, loyaltyBalances.get(r.code)! + r.points_earned - r.points_spent);
      }
    }
    await checkQuiescent(hq, tills, log, {
      discounts: new Map<string, number | null>([...single.map((v) => [v.code, 1] as const), [multi.code, s.multiUse]]),
      gifts: new Set([...gifts.map((v) => v.code), ...issued]),
      giftBalances,
      loyalty: new Set(cards.map((v) => v.code)),
      loyaltyBalances,
    });
    const played = JSON.stringify([...gifts, ...cards].map((v) => v.code).concat(issued));
    const [flagged] = await hqRows<{ n: number; points: number }>(
      hq,
      sql`SELECT count(*)::int AS n, count(*) FILTER (WHERE kind = 'LOYALTY_SPEND')::int AS points FROM redemptions WHERE overdraft AND code IN (SELECT jsonb_array_elements_text(${played}::jsonb))`,
    );
    stats.overdraws = flagged?.n ?? 0;
    stats.pointsOverdraws = flagged?.points ?? 0;
    trace('checked');
    return stats;
  } finally {
    for (const till of tills) {
      till.net.offline = false;
      await till.close().catch(() => undefined);
    }
  }
}

/** The property: every scenario ends consistent. */
export function simProperty(hq: LiveHq, options: { maxActions?: number; onRun?: (stats: RunStats) => void } = {}) {
  return fc.asyncProperty(scenarioArb(options.maxActions), async (scenario) => {
    const stats = await runScenario(hq, scenario);
    options.onRun?.(stats);
  });
}
