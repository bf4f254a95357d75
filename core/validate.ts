// The one validation function: can this scanned code be added to this ticket, and with what effect?
// It evaluates the ticket with the vouchers already applied plus the new one, through the same
// evaluateTicket that totals the ticket, so a validation and the final total can never disagree.
import type { Voucher } from './voucher';
import type { Ticket } from './ticket';
import type { ValidationReason } from './reasons';
import type { ValidationContext } from './validation-context';
import { evaluateTicket, type TicketEvaluation, type VoucherResult } from './evaluate-ticket';

export type Validation =
  | { valid: true; code: string; effect: Extract<VoucherResult, { valid: true }>; evaluation: TicketEvaluation }
  | { valid: false; code: string; reason: ValidationReason };

export function validateVoucher(
  scanned: { code: string; voucher: Voucher | undefined },
  ticket: Ticket,
  applied: readonly Voucher[],
  ctx: ValidationContext,
): Validation {
  const entries = [...applied.map((voucher) => ({ code: voucher.code, voucher })), scanned];
  const evaluation = evaluateTicket(ticket, entries, ctx);
  const result = evaluation.results[evaluation.results.length - 1]!;
  if (!result.valid) return { valid: false, code: result.code, reason: result.reason };
  return { valid: true, code: result.code, effect: result, evaluation };
}
