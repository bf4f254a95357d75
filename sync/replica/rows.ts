// What the till stores besides the replicated HQ objects.
import type { Ticket } from '../../core/ticket';
import type { TicketEvaluation } from '../../core/evaluate-ticket';
import type { Op, PushResult } from '../protocol';

export type Payment = { method: 'CASH'; tendered: number; change: number } | { method: 'CARD'; amount: number };

export type TicketRow = {
  id: string;
  ticket: Ticket;
  codes: string[];
  evaluation: TicketEvaluation;
  payments: Payment[];
  completed_at: string;
  /**
   * What each gift or loyalty card on the ticket held right after the sale, as this till saw it (the
   * receipt prints it): money for a gift card, points for a loyalty card. Another till's use of the same
   * card that HQ has and this till had not yet seen is not in it. Absent on tickets sold before.
   */
  balances?: CardBalance[];
  /** Set when the ticket was refunded: its redemptions were rolled back. */
  refunded_at?: string;
  /**
   * What was paid (cash, card) went back as store credit instead, onto this gift card (a new one or the
   * customer's). The amount is the ticket's `evaluation.amount_due`.
   */
  credit?: { to: StoreCredit['to']; code: string };
};

export type CardBalance = { code: string; kind: 'GIFT'; balance: number } | { code: string; kind: 'LOYALTY'; balance: number };

/** Where a refund's store credit goes: a new gift card from this till's leased codes, or an existing card. */
export type StoreCredit = { to: 'new' } | { to: 'card'; code: string };

export type RedemptionStatus = 'PENDING' | 'ACCEPTED' | 'CONFLICT' | 'REJECTED';

/**
 * An op of a sale that a refund undoes (a ROLLBACK names it): a voucher's redemption (a discount, a
 * gift card's debit) or a loyalty card's points earned or spent.
 */
export type RedemptionRow = {
  op_id: string;
  seq: number;
  code: string;
  ticket_id: string;
  kind: 'DISCOUNT' | 'GIFT' | 'POINTS_EARNED' | 'POINTS_SPENT';
  /** Money: the discount, the gift debit, or what the points paid (0 for points earned). */
  amount: number;
  /** Points earned or spent (loyalty kinds only). */
  points?: number;
  status: RedemptionStatus;
  rolled_back: boolean;
  reason?: string;
  created_at: string;
};

/** An op waiting to reach HQ. The outbox is the resume point: a row leaves only when HQ answered it. */
export type OutboxRow = Op;

/**
 * An op of this till HQ has accepted whose changes the replica's data may not hold yet: they are
 * numbered at or below `checkpoint` (the push answer's), and a stream page ending below it was read
 * before they committed, so it is rebased on the op (apply-pull.ts, applyStreamPage). Kept from the
 * answer until the replica's checkpoint reaches `checkpoint`.
 */
export type UnreflectedRow = { seq: number; op: Op; checkpoint: number };

export type ConflictRow = {
  op_id: string;
  code: string;
  ticket_id: string;
  amount: number;
  /** A loyalty op's points. */
  points?: number;
  reason: string;
  winner: NonNullable<PushResult['winner']> | null;
  detected_at: string;
  /** 0/1 so it can be indexed; the UI marks a conflict as seen. */
  acknowledged: 0 | 1;
};

export type CodeLeaseRow = { code: string; used: 0 | 1 };

export type MetaRow = { key: string; value: unknown };

/**
 * Vouchers of the first full load, many per record; `codes` is indexed (multi-entry). Each voucher is
 * kept as its JSON text: reading a chunk then copies strings, not 100 objects, and a lookup parses one.
 */
export type VoucherChunkRow = { id: number; codes: string[]; vouchers: string[] };
