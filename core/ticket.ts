// A ticket (the sale being rung up) and its totals. Prices are gross (tax included), as on a shelf
// label; tax is backed out per rate after discounts, so the receipt's breakdown matches what was paid.
import { z } from 'zod';
import { CurrencySchema, EntityId, MinorUnits, Percent } from './voucher';
import { mulDivRoundHalfUp, percentToBasisPoints } from './money';
import { Text } from './text';

export const TicketLineSchema = z.strictObject({
  product_id: EntityId,
  barcode: Text.max(64).nullish(),
  name: Text.max(255).default(''),
  quantity: z.int().min(1).max(100_000),
  unit_price: MinorUnits.describe('gross price of one unit in minor units'),
  tax_rate: Percent.default(0).describe('percent with at most two decimals, e.g. 19 or 7.7'),
});
export type TicketLine = z.infer<typeof TicketLineSchema>;

/**
 * Every amount of an evaluation is at most the ticket's gross total, so a ticket whose lines and total
 * are safe integers keeps every later sum, discount and tax exact (money.ts mulDivRoundHalfUp). A line
 * or total beyond Number.MAX_SAFE_INTEGER is refused here, field by field, never computed. The float
 * comparisons are sound: every safe integer is exact, and anything larger rounds to at least 2^53.
 */
function totalsSafe(ticket: { lines: { quantity: number; unit_price: number }[] }, ctx: z.RefinementCtx): void {
  let total = 0;
  let lineTooBig = false;
  ticket.lines.forEach((line, i) => {
    const gross = line.quantity * line.unit_price;
    if (gross > Number.MAX_SAFE_INTEGER) {
      lineTooBig = true;
      ctx.addIssue({ code: 'custom', path: ['lines', i, 'unit_price'], message: `quantity × unit_price exceeds ${Number.MAX_SAFE_INTEGER} minor units` });
    }
    total += gross;
  });
  if (!lineTooBig && total > Number.MAX_SAFE_INTEGER) {
    ctx.addIssue({ code: 'custom', path: ['lines'], message: `the ticket's total exceeds ${Number.MAX_SAFE_INTEGER} minor units` });
  }
}

export const TicketSchema = z
  .strictObject({
    currency: CurrencySchema,
    customer_id: EntityId.nullish(),
    lines: z.array(TicketLineSchema).max(1000),
  })
  .superRefine(totalsSafe);
export type Ticket = z.infer<typeof TicketSchema>;
/** What callers may pass: defaults (name, tax_rate) not yet filled in. */
export type TicketInput = z.input<typeof TicketSchema>;

export function lineGross(line: Pick<TicketLine, 'quantity' | 'unit_price'>): number {
  return line.quantity * line.unit_price;
}

export function ticketGross(ticket: Pick<Ticket, 'lines'>): number {
  let total = 0;
  for (const line of ticket.lines) total += lineGross(line);
  return total;
}

export type TaxBand = { rate: number; gross: number; net: number; tax: number };

/**
 * Tax per rate on the amounts actually charged per line (gross minus that line's discount).
 * Lines are summed per rate first and tax is rounded once per rate (half up), the usual receipt rule,
 * so the bands add up to the total exactly.
 */
export function taxBreakdown(ticket: Pick<Ticket, 'lines'>, lineDiscounts: readonly number[] = []): TaxBand[] {
  const grossByRate = new Map<number, number>();
  ticket.lines.forEach((line, i) => {
    const charged = lineGross(line) - (lineDiscounts[i] ?? 0);
    grossByRate.set(line.tax_rate, (grossByRate.get(line.tax_rate) ?? 0) + charged);
  });
  return [...grossByRate.entries()]
    .sort(([a], [b]) => a - b)
    .map(([rate, gross]) => {
      const bp = percentToBasisPoints(rate);
      const net = mulDivRoundHalfUp(gross, 10_000, 10_000 + bp);
      return { rate, gross, net, tax: gross - net };
    });
}
