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

/**
 * The discount per line (same length as `lines`). `remaining` is what each line still costs;
 * `restrictedTo` is the voucher's product restriction (UNIT discounts carry their own product).
 */
export function discountPerLine(discount: Discount, lines: readonly TicketLine[], remaining: readonly number[], restrictedTo: string | null): number[] {
  const productId = discount.type === 'UNIT' ? discount.product_id : restrictedTo;
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
    case 'UNIT': {
      // unit_off units free, taken from the product's lines in ticket order, each at its unit price.
      let unitsLeft = discount.unit_off;
      const perLine = lines.map(() => 0);
      for (const i of indexes) {
        const line = lines[i]!;
        const units = Math.min(unitsLeft, line.quantity);
        perLine[i] = Math.min(units * line.unit_price, remaining[i] ?? 0);
        unitsLeft -= units;
        if (unitsLeft === 0) break;
      }
      return perLine;
    }
  }
  const split = allocate(amount, weights);
  const perLine = lines.map(() => 0);
  indexes.forEach((lineIndex, k) => {
    perLine[lineIndex] = split[k]!;
  });
  return perLine;
}
