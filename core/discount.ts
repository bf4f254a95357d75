// How much a discount voucher takes off, line by line. Works on the amounts still payable per line
// (after the discounts applied before it), so a line never goes below zero and the per-line split
// always sums to the discount exactly.
import type { Discount } from './voucher';
import type { TicketLine } from './ticket';
import { allocate, percentOf } from './money';

/** Indexes of the lines a discount applies to: all of them, or only the restricted product's. */
export function eligibleLines(lines: readonly TicketLine[], productId: string | null): number[] {
  const indexes: number[] = [];
  lines.forEach((line, i) => {
    if (productId === null || line.product_id === productId) indexes.push(i);
  });
  return indexes;
}

/** The products a discount names itself (UNIT, UNIT_MULTIPLE), or null: it follows the voucher's restriction. */
export function discountProducts(discount: Discount): string[] | null {
  if (discount.type === 'UNIT') return [discount.product_id];
  if (discount.type === 'UNIT_MULTIPLE') return discount.units.map((u) => u.product_id);
  return null;
}

/** `unit_off` units of `productId` free, taken from its lines in ticket order, each at its unit price, never more than a line still costs. */
function unitsFree(unitOff: number, productId: string, lines: readonly TicketLine[], remaining: readonly number[], perLine: number[]): void {
  let unitsLeft = unitOff;
  for (const i of eligibleLines(lines, productId)) {
    const line = lines[i]!;
    const units = Math.min(unitsLeft, line.quantity);
    perLine[i] = Math.min(units * line.unit_price, remaining[i] ?? 0);
    unitsLeft -= units;
    if (unitsLeft === 0) break;
  }
}

/**
 * The discount per line (same length as `lines`). `remaining` is what each line still costs;
 * `restrictedTo` is the voucher's product restriction (UNIT and UNIT_MULTIPLE discounts name their own
 * products: each entry of a UNIT_MULTIPLE is a UNIT discount of its product; its products differ, so
 * no line is counted twice).
 */
export function discountPerLine(discount: Discount, lines: readonly TicketLine[], remaining: readonly number[], restrictedTo: string | null): number[] {
  if (discount.type === 'UNIT' || discount.type === 'UNIT_MULTIPLE') {
    const perLine = lines.map(() => 0);
    for (const u of discount.type === 'UNIT' ? [discount] : discount.units) unitsFree(u.unit_off, u.product_id, lines, remaining, perLine);
    return perLine;
  }
  const productId = restrictedTo;
  const indexes = eligibleLines(lines, productId);
  const weights = indexes.map((i) => remaining[i] ?? 0);
  const eligible = weights.reduce((a, b) => a + b, 0);

  let amount: number;
  switch (discount.type) {
    case 'AMOUNT':
      amount = Math.min(discount.amount_off, eligible);
      break;
    case 'PERCENT':
      amount = percentOf(eligible, discount.percent_off);
      if (discount.amount_limit != null) amount = Math.min(amount, discount.amount_limit);
      break;
    case 'FIXED':
      // "The total becomes fixed_amount" — never raises a total that is already lower.
      amount = Math.max(0, eligible - discount.fixed_amount);
      break;
  }
  const split = allocate(amount, weights);
  const perLine = lines.map(() => 0);
  indexes.forEach((lineIndex, k) => {
    perLine[lineIndex] = split[k]!;
  });
  return perLine;
}
