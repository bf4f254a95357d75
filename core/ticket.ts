// A ticket (the sale being rung up) and its totals. Prices are gross (tax included), as on a shelf
// label; tax is backed out per rate after discounts, so the receipt's breakdown matches what was paid.
import { z } from 'zod';
import { CurrencySchema, EntityId, MinorUnits } from './voucher';
import { divideRoundHalfUp, percentToBasisPoints } from './money';

export const TicketLineSchema = z.strictObject({
  product_id: EntityId,
  barcode: z.string().max(64).nullish(),
  name: z.string().max(255).default(''),
  quantity: z.int().min(1).max(100_000),
  unit_price: MinorUnits.describe('gross price of one unit in minor units'),
  tax_rate: z.number().min(0).max(100).default(0).describe('percent, e.g. 19 or 7.7'),
});
export type TicketLine = z.infer<typeof TicketLineSchema>;

export const TicketSchema = z.strictObject({
  currency: CurrencySchema,
  customer_id: EntityId.nullish(),
  lines: z.array(TicketLineSchema).max(1000),
});
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
      const net = divideRoundHalfUp(gross * 10_000, 10_000 + bp);
      return { rate, gross, net, tax: gross - net };
    });
}
