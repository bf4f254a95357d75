// The HQ benchmark's data set and op mix, shared by the orchestrator (bench/hq.bench.ts, which imports
// the vouchers) and the load generator (bench/hq-load.ts, which pushes redemptions of them).
//
// Vouchers (100k by default):
//   S-nnnnnn  single-use discount vouchers (80 %); the first 200 of them are a "hot" set that a share
//             of single-use redemptions (HQ_BENCH_HOT_SHARE, default 2 %) go to, so several tills redeem
//             the same code (≈ 3 tills per hot code: CONFLICT expected); the rest are split into disjoint
//             per-till slices (never contended).
//   M-nnnnnn  multi-use discount vouchers (10 %): even numbers quantity 50, odd numbers unlimited. The
//             first 100 are "popular" campaign codes; HQ_BENCH_POPULAR (default 0) of the multi-use
//             redemptions go to them (a store-wide code every till uses: heavy row-lock contention).
//   G-nnnnnn  gift cards (10 %), 50.00 each; debits of 5.00..25.00 (a card hit often enough overdraws).
// Op mix per redemption: 60 % single-use, 25 % multi-use, 15 % gift debit.
// Everything is drawn from a seeded PRNG, so a run is reproducible and the expected number of accepted
// and conflicting ops can be computed exactly from what was sent (see expectedOutcomes).

export type Layout = {
  vouchers: number; single: number; multi: number; gift: number; hotSingle: number; popularMulti: number;
  /** Share of single-use redemptions that go to the shared hot set (contended by several tills). */
  hotShare: number;
  /** Share of multi-use redemptions that go to the popular campaign codes. */
  popularShare: number;
};

export const GIFT_AMOUNT = 5000;
export const MULTI_QUANTITY = 50;

export function layout(vouchers: number, mix: { hotShare?: number; popularShare?: number } = {}): Layout {
  const multi = Math.floor(vouchers * 0.1);
  const gift = Math.floor(vouchers * 0.1);
  return { vouchers, single: vouchers - multi - gift, multi, gift, hotSingle: Math.min(200, Math.floor(vouchers * 0.002) || 1), popularMulti: Math.min(100, multi),
    hotShare: mix.hotShare ?? 0.02, popularShare: mix.popularShare ?? 0 };
}

const pad = (n: number) => String(n).padStart(6, '0');
export const singleCode = (i: number) => `S-${pad(i)}`;
export const multiCode = (i: number) => `M-${pad(i)}`;
export const giftCode = (i: number) => `G-${pad(i)}`;
/** Quantity of multi-use voucher i: even → 50, odd → unlimited. */
export const multiQuantity = (i: number): number | null => (i % 2 === 0 ? MULTI_QUANTITY : null);

/** The import body: voucher inputs as the back office would send them. */
export function importRows(l: Layout): unknown[] {
  const rows: unknown[] = [];
  for (let i = 0; i < l.single; i++) {
    rows.push({ code: singleCode(i), type: 'DISCOUNT_VOUCHER', label: '5 € off', campaign: 'BENCH-SINGLE', currency: 'EUR', discount: { type: 'AMOUNT', amount_off: 500 }, redemption: { quantity: 1 } });
  }
  for (let i = 0; i < l.multi; i++) {
    rows.push({
      code: multiCode(i), type: 'DISCOUNT_VOUCHER', label: '10 % off', campaign: i < l.popularMulti ? 'BENCH-POPULAR' : 'BENCH-MULTI', currency: 'EUR',
      discount: { type: 'PERCENT', percent_off: 10, amount_limit: 2000 }, redemption: { quantity: multiQuantity(i) },
    });
  }
  for (let i = 0; i < l.gift; i++) {
    rows.push({ code: giftCode(i), type: 'GIFT_VOUCHER', label: 'Gift card', campaign: 'BENCH-GIFT', currency: 'EUR', gift: { amount: GIFT_AMOUNT } });
  }
  return rows;
}

import { prng } from '../testkit/prng';

export { prng };

export type Redemption = { code: string; ticket_id: string; amount: number };

/** The redemptions one till makes, in order. Deterministic for (layout, till index, tills, seed). */
export function tillRedemptions(l: Layout, till: number, tills: number, seed: number): () => Redemption {
  const rand = prng(seed * 1000 + till + 1);
  // This till's own single-use slice (after the hot set) and its own order over the hot set.
  const sliceSize = Math.floor((l.single - l.hotSingle) / tills);
  const sliceStart = l.hotSingle + till * sliceSize;
  let fresh = 0;
  const hot = Array.from({ length: l.hotSingle }, (_, i) => i);
  for (let i = hot.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [hot[i], hot[j]] = [hot[j]!, hot[i]!];
  }
  let hotNext = 0;
  let n = 0;
  return () => {
    n += 1;
    const ticket_id = `T${till}-${n}`;
    const r = rand();
    if (r < 0.6) {
      const wantHot = rand() < l.hotShare;
      if ((wantHot || fresh >= sliceSize) && hotNext < hot.length) return { code: singleCode(hot[hotNext++]!), ticket_id, amount: 500 };
      if (fresh < sliceSize) return { code: singleCode(sliceStart + fresh++), ticket_id, amount: 500 };
      // Both exhausted (a run far larger than the data set): fall through to multi-use.
    }
    if (r < 0.85 || l.gift === 0) {
      const popular = rand() < l.popularShare;
      const i = popular ? Math.floor(rand() * l.popularMulti) : l.popularMulti + Math.floor(rand() * (l.multi - l.popularMulti));
      return { code: multiCode(i), ticket_id, amount: 250 };
    }
    return { code: giftCode(Math.floor(rand() * l.gift)), ticket_id, amount: 500 + 100 * Math.floor(rand() * 21) };
  }
}

/**
 * What HQ must answer for a set of applied redemptions, whatever the commit order: a single-use code
 * is accepted once and conflicts after, a quantity-50 code accepts 50, unlimited codes and gift debits
 * are always accepted (a gift overdraft is accepted and flagged).
 */
export function expectedOutcomes(codes: Iterable<string>): { accepted: number; conflicts: number } {
  const counts = new Map<string, number>();
  for (const c of codes) counts.set(c, (counts.get(c) ?? 0) + 1);
  let accepted = 0;
  let conflicts = 0;
  for (const [code, k] of counts) {
    let limit = Infinity;
    if (code.startsWith('S-')) limit = 1;
    else if (code.startsWith('M-')) limit = multiQuantity(Number(code.slice(2))) ?? Infinity;
    accepted += Math.min(k, limit);
    conflicts += Math.max(0, k - limit);
  }
  return { accepted, conflicts };
}
