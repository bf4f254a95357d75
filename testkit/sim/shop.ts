// What a cashier does, the way the UI does it: validate each scanned code against the ticket and the
// codes already applied (skipping refused ones), then complete the ticket paid by card.
import { randomBytes } from 'node:crypto';
import { TicketSchema, ticketGross, type Ticket } from '../../core/ticket';
import type { TicketRow } from '../../sync/replica/rows';
import type { Voucher } from '../../core/voucher';
import type { LiveHq } from '../till-harness';
import type { FaultyTill } from './tills';

export function ticketOf(lines: readonly { quantity: number; unit_price: number }[]): Ticket {
  return TicketSchema.parse({ currency: 'EUR', lines: lines.map((l, i) => ({ product_id: `SIM-P${i + 1}`, tax_rate: 19, ...l })) });
}

/** A code no other test uses. */
export function uniqueCode(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex').toUpperCase()}`;
}

export type Sold = { row: TicketRow; applied: string[] };

/**
 * Validate the codes one by one as the UI would, then complete the ticket with the valid ones.
 * Returns null when no code was valid (nothing to redeem) unless `allowEmpty`.
 */
export async function sell(till: FaultyTill, codes: readonly string[], ticket: Ticket, options: { ticketId?: string; allowEmpty?: boolean } = {}): Promise<Sold | null> {
  const applied: string[] = [];
  for (const code of codes) {
    const check = await till.validate(code, ticket, applied);
    if (check.valid) applied.push(check.code);
  }
  if (!applied.length && !options.allowEmpty) return null;
  const row = await till.completeTicket({
    ...(options.ticketId ? { ticketId: options.ticketId } : {}),
    ticket,
    codes: applied,
    payments: [{ method: 'CARD', amount: ticketGross(ticket) }],
  });
  return { row, applied };
}

export async function createVoucher(hq: LiveHq, body: Record<string, unknown>): Promise<Voucher> {
  const res = await hq.admin({ method: 'POST', url: '/v1/vouchers', payload: { currency: 'EUR', ...body } });
  if (res.statusCode !== 201) throw new Error(`create voucher failed: ${res.statusCode} ${res.body}`);
  return res.json() as Voucher;
}

export const singleUse = (hq: LiveHq, amountOff = 300, prefix = 'SU') =>
  createVoucher(hq, { code: uniqueCode(prefix), type: 'DISCOUNT_VOUCHER', discount: { type: 'AMOUNT', amount_off: amountOff }, redemption: { quantity: 1 } });

export const multiUse = (hq: LiveHq, quantity: number | null, prefix = 'MU') =>
  createVoucher(hq, { code: uniqueCode(prefix), type: 'DISCOUNT_VOUCHER', discount: { type: 'PERCENT', percent_off: 10 }, redemption: { quantity } });

export const giftCard = (hq: LiveHq, amount: number, prefix = 'GC') => createVoucher(hq, { code: uniqueCode(prefix), type: 'GIFT_VOUCHER', gift: { amount } });

/** A loyalty program of its own (1 point per full 1.00 paid; 100 points pay 1.00) and a card per opening balance. */
export async function loyaltyCards(hq: LiveHq, balances: readonly number[], prefix = 'LC'): Promise<Voucher[]> {
  const id = uniqueCode(`${prefix}-P`);
  const res = await hq.admin({ method: 'POST', url: '/v1/loyalty-programs', payload: { id, name: 'Sim club', currency: 'EUR', earn: { points: 1, per_amount: 100 }, redeem: { points: 100, amount: 100 } } });
  if (res.statusCode !== 201) throw new Error(`create program failed: ${res.statusCode} ${res.body}`);
  return Promise.all(balances.map((balance) => createVoucher(hq, { code: uniqueCode(prefix), type: 'LOYALTY_CARD', campaign: id, loyalty: { balance } })));
}
