// Applying several vouchers to one ticket — the rule both the till (offline) and HQ (authoritative) run.
//
// Order (documented in README):
//   1. Each code is checked on its own, in scan order (see `refusal` for the order of reasons).
//   2. Accepted discount vouchers are applied by kind — UNIT and UNIT_MULTIPLE (free items), then PERCENT, then AMOUNT,
//      then FIXED — and in scan order within a kind, each on what the lines still cost after the ones
//      before it. Percent before amount is the customer-friendly order; FIXED last so "pay 10.00"
//      caps the final price. No line, and so no total, ever goes below zero.
//   3. Gift cards and loyalty points are tender, not discounts: in scan order each pays what it can of
//      the amount still due — a gift card min(balance, due), a loyalty card asked to spend what its
//      points are worth (core/loyalty.ts) — capped offline by the offline policy's per-ticket limits
//      (one for gift cards, one for points).
//   4. A loyalty card (one per ticket) earns points on what was paid after discounts, less what points
//      paid; it earns whether or not it spends.
import type { GiftVoucher, LoyaltyCard, Voucher } from './voucher';
import { pointsEarned, pointsSpend } from './loyalty';
import type { Ticket } from './ticket';
import type { ValidationReason } from './reasons';
import { ticketGross, taxBreakdown, type TaxBand } from './ticket';
import { isValidCode, normaliseCode } from './code';
import { discountPerLine, discountProducts, eligibleLines } from './discount';
import { checkValidityWindow } from './validity-window';
import { redeemRefusal } from './voucher-effects';
import { toLocalTime, type LocalTime } from './local-time';
import { DEFAULT_OFFLINE_POLICY, DEFAULT_STACKING, type ValidationContext } from './validation-context';

/** `spend_points`: a loyalty card pays with its points as well as earning (ignored for other vouchers). */
export type VoucherEntry = { code: string; voucher: Voucher | undefined; spend_points?: boolean };

export type VoucherResult =
  | { code: string; valid: true; type: 'DISCOUNT_VOUCHER'; discount_amount: number; gift_amount: 0; line_discounts: number[] }
  | { code: string; valid: true; type: 'GIFT_VOUCHER'; discount_amount: 0; gift_amount: number; limited_by_offline_cap: boolean }
  /** gift_amount: what the points spent pay (minor units). */
  | { code: string; valid: true; type: 'LOYALTY_CARD'; discount_amount: 0; gift_amount: number; points_spent: number; points_earned: number; limited_by_offline_cap: boolean }
  | { code: string; valid: false; reason: ValidationReason; discount_amount: 0; gift_amount: 0 };

export type TicketEvaluation = {
  /** One per entry, in the order given. */
  results: VoucherResult[];
  total_before: number;
  total_discount: number;
  line_discounts: number[];
  total_after_discounts: number;
  /** What gift cards and loyalty points paid. */
  gift_total: number;
  amount_due: number;
  tax: TaxBand[];
};

const DISCOUNT_ORDER = { UNIT: 0, UNIT_MULTIPLE: 0, PERCENT: 1, AMOUNT: 2, FIXED: 3 } as const;

type Counts = { discounts: number; gifts: number; loyalty: number; seen: Set<string> };

/** Why this voucher cannot be used on this ticket, checked in this order — or null when it can. */
function refusal(entry: VoucherEntry, code: string, ticket: Ticket, totalBefore: number, ctx: ValidationContext, local: () => LocalTime, counts: Counts): ValidationReason | null {
  const voucher = entry.voucher;
  if (!isValidCode(code)) return 'invalid_code_format';
  if (!voucher) return 'not_found';
  if (counts.seen.has(code)) return 'already_applied';
  if (voucher.status === 'CANCELLED') return 'cancelled';
  if (!voucher.active) return 'disabled';
  if (voucher.currency !== ticket.currency) return 'currency_mismatch';
  if (hasWindow(voucher)) {
    const window = checkValidityWindow(voucher, local(), ctx.timeZone);
    if (window) return window;
  }
  // What HQ would refuse (core/voucher-effects.ts: a discount voucher's uses; gift cards count none),
  // and a gift card with nothing left: a till pays from a positive balance only (HQ accepts the
  // overdrafts two offline tills can make together, a till never makes one on its own).
  if (voucher.type === 'GIFT_VOUCHER') {
    if (voucher.gift.balance <= 0) return 'gift_balance_exhausted';
  } else if (voucher.type === 'LOYALTY_CARD') {
    const program = ctx.loyaltyPrograms?.get(voucher.campaign);
    if (!program) return 'loyalty_program_unknown';
    if (program.currency !== ticket.currency) return 'currency_mismatch';
  } else if (redeemRefusal(voucher, 0) === 'quantity_exceeded') {
    return 'quantity_exceeded';
  }
  // A customer's loyalty card is the customer's card: scanning it is how the customer is known, so it
  // needs no customer on the ticket first — only not another customer's.
  if (voucher.customer_id !== null) {
    if (!ticket.customer_id) {
      if (voucher.type !== 'LOYALTY_CARD') return 'missing_customer';
    } else if (ticket.customer_id !== voucher.customer_id) return 'customer_mismatch';
  }
  // A discount that names its products (UNIT, UNIT_MULTIPLE) needs one of them on the ticket; otherwise
  // the voucher's product restriction, if any.
  const named = voucher.type === 'DISCOUNT_VOUCHER' ? discountProducts(voucher.discount) : null;
  const products = named ?? (voucher.product_id === null ? null : [voucher.product_id]);
  if (products !== null && products.every((id) => eligibleLines(ticket.lines, id).length === 0)) return 'product_not_in_ticket';
  if (voucher.min_order_amount !== null && totalBefore < voucher.min_order_amount) return 'min_order_not_met';
  // A loyalty card that only earns takes nothing HQ could refuse: offline_redeemable governs spending.
  if (!ctx.online && (voucher.type !== 'LOYALTY_CARD' || entry.spend_points === true)) {
    if (!voucher.offline_redeemable) return 'offline_not_allowed';
    const maxAge = (ctx.offlinePolicy ?? DEFAULT_OFFLINE_POLICY).maxReplicaAgeMs;
    if (voucher.redemption.quantity === 1 && maxAge !== null && (ctx.replicaAgeMs ?? Infinity) > maxAge) return 'offline_not_allowed';
  }
  const stacking = ctx.stacking ?? DEFAULT_STACKING;
  const full =
    voucher.type === 'DISCOUNT_VOUCHER' ? counts.discounts >= stacking.maxDiscountVouchers : voucher.type === 'GIFT_VOUCHER' ? counts.gifts >= stacking.maxGiftCards : counts.loyalty >= 1;
  return full ? 'stacking_limit' : null;
}

function hasWindow(v: Voucher): boolean {
  return v.start_date !== null || v.expiration_date !== null || v.validity_day_of_week !== null || v.validity_hours !== null || v.validity_timeframe !== null;
}

function refused(code: string, reason: ValidationReason): VoucherResult {
  return { code, valid: false, reason, discount_amount: 0, gift_amount: 0 };
}

export function evaluateTicket(ticket: Ticket, entries: readonly VoucherEntry[], ctx: ValidationContext): TicketEvaluation {
  // Local time only when some voucher has a window, and then once for the whole ticket.
  let localTime: LocalTime | undefined;
  const local = () => (localTime ??= toLocalTime(ctx.now, ctx.timeZone));
  const totalBefore = ticketGross(ticket);
  const results: (VoucherResult | undefined)[] = entries.map(() => undefined);
  const counts: Counts = { discounts: 0, gifts: 0, loyalty: 0, seen: new Set() };
  const discounts: { index: number; voucher: Extract<Voucher, { type: 'DISCOUNT_VOUCHER' }> }[] = [];
  // Tender in scan order: gift cards, and the loyalty card (which is here even when it only earns).
  const tenders: { index: number; voucher: GiftVoucher | LoyaltyCard; spend: boolean }[] = [];

  entries.forEach((entry, index) => {
    const code = normaliseCode(entry.code);
    const reason = refusal(entry, code, ticket, totalBefore, ctx, local, counts);
    if (reason) {
      results[index] = refused(code, reason);
      return;
    }
    counts.seen.add(code);
    const voucher = entry.voucher!;
    if (voucher.type === 'DISCOUNT_VOUCHER') {
      counts.discounts += 1;
      discounts.push({ index, voucher });
    } else {
      counts[voucher.type === 'GIFT_VOUCHER' ? 'gifts' : 'loyalty'] += 1;
      tenders.push({ index, voucher, spend: voucher.type === 'GIFT_VOUCHER' || entry.spend_points === true });
    }
  });

  // Discounts by kind, then scan order (Array.prototype.sort is stable).
  discounts.sort((a, b) => DISCOUNT_ORDER[a.voucher.discount.type] - DISCOUNT_ORDER[b.voucher.discount.type]);
  const remaining = ticket.lines.map((line) => line.quantity * line.unit_price);
  const lineDiscounts = ticket.lines.map(() => 0);
  for (const { index, voucher } of discounts) {
    const perLine = discountPerLine(voucher.discount, ticket.lines, remaining, voucher.product_id);
    let amount = 0;
    perLine.forEach((d, i) => {
      remaining[i]! -= d;
      lineDiscounts[i]! += d;
      amount += d;
    });
    results[index] = { code: voucher.code, valid: true, type: 'DISCOUNT_VOUCHER', discount_amount: amount, gift_amount: 0, line_discounts: perLine };
  }
  const totalDiscount = lineDiscounts.reduce((a, b) => a + b, 0);
  const afterDiscounts = totalBefore - totalDiscount;

  // Gift cards and points, in scan order, as tender.
  const policy = ctx.offlinePolicy ?? DEFAULT_OFFLINE_POLICY;
  const giftCap = ctx.online ? null : policy.maxGiftAmountPerTicket;
  const pointsCap = ctx.online ? null : (policy.maxPointsAmountPerTicket ?? null);
  let due = afterDiscounts;
  let giftPaid = 0;
  let pointsPaid = 0;
  for (const { index, voucher, spend } of tenders) {
    if (voucher.type === 'LOYALTY_CARD') {
      const program = ctx.loyaltyPrograms!.get(voucher.campaign)!; // refusal() checked it is there
      const wanted = spend ? pointsSpend(program, voucher.loyalty.balance, due, null) : { amount: 0, points: 0 };
      const { amount, points } = pointsCap !== null && wanted.amount > pointsCap ? pointsSpend(program, voucher.loyalty.balance, due, pointsCap) : wanted;
      due -= amount;
      pointsPaid = amount;
      // Earned on what was paid after discounts, less what points paid (known now: one card per ticket).
      const earned = pointsEarned(program, afterDiscounts - amount);
      results[index] = { code: voucher.code, valid: true, type: 'LOYALTY_CARD', discount_amount: 0, gift_amount: amount, points_spent: points, points_earned: earned, limited_by_offline_cap: amount < wanted.amount };
      continue;
    }
    let debit = Math.min(voucher.gift.balance, due);
    let limited = false;
    if (giftCap !== null) {
      const capLeft = giftCap - giftPaid;
      if (capLeft <= 0 && due > 0) {
        results[index] = refused(voucher.code, 'offline_limit_exceeded');
        continue;
      }
      if (debit > capLeft) {
        debit = capLeft;
        limited = true;
      }
    }
    due -= debit;
    giftPaid += debit;
    results[index] = { code: voucher.code, valid: true, type: 'GIFT_VOUCHER', discount_amount: 0, gift_amount: debit, limited_by_offline_cap: limited };
  }

  return {
    results: results as VoucherResult[],
    total_before: totalBefore,
    total_discount: totalDiscount,
    line_discounts: lineDiscounts,
    total_after_discounts: afterDiscounts,
    gift_total: giftPaid + pointsPaid,
    amount_due: due,
    tax: taxBreakdown(ticket, lineDiscounts),
  };
}
