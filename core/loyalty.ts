// Loyalty programs and the points maths — the one statement of how points are earned and what they
// are worth, run by the till (offline) and HQ alike (contract: "Loyalty cards and more discount kinds").
//
// - Earning: `earn.points` for every full `earn.per_amount` minor units paid after discounts (rounded
//   down: 9.99 paid at 1 point per 1.00 earns 9). What points paid earns nothing.
// - Spending: `redeem.points` buy `redeem.amount` minor units. Points pay at most what is due; a spend
//   takes the fewest whole points that cover the amount (rounded up, so a part of one point may go with
//   the last cent), and the amount is at most what the points are worth (rounded down): the shop never
//   gives more money than the points buy, the customer never gives a whole point more than needed.
// Products of two safe integers may pass 2^53, so the maths is done in BigInt and clamped.
import { z } from 'zod';
import { CurrencyInput, CurrencySchema, EntityId, PositiveMinorUnits } from './voucher';
import { Text } from './text';

const MAX = Number.MAX_SAFE_INTEGER;
const Name = Text.min(1).max(255);
const Timestamp = z.iso.datetime({ offset: true });

const EarnRule = z.strictObject({
  points: z.int().min(1).max(1_000_000).describe('points earned for every full per_amount paid'),
  per_amount: PositiveMinorUnits.describe('minor units paid after discounts'),
});
const RedeemRule = z.strictObject({
  points: z.int().min(1).max(1_000_000_000).describe('points that buy `amount`'),
  amount: PositiveMinorUnits.describe('minor units those points buy'),
});

export const LoyaltyProgramSchema = z.strictObject({
  id: EntityId,
  name: Name,
  currency: CurrencySchema,
  earn: EarnRule,
  redeem: RedeemRule,
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type LoyaltyProgram = z.infer<typeof LoyaltyProgramSchema>;

/** POST /v1/loyalty-programs; PUT takes the same without `id`. */
export const LoyaltyProgramInputSchema = z.strictObject({ id: EntityId.optional(), name: Name, currency: CurrencyInput, earn: EarnRule, redeem: RedeemRule });
export type LoyaltyProgramInput = z.output<typeof LoyaltyProgramInputSchema>;

const clamp = (n: bigint): number => (n > BigInt(MAX) ? MAX : Number(n));

/** Points earned on `paid` minor units (after discounts, not counting what points paid). */
export function pointsEarned(program: Pick<LoyaltyProgram, 'earn'>, paid: number): number {
  if (paid <= 0) return 0;
  return clamp((BigInt(paid) / BigInt(program.earn.per_amount)) * BigInt(program.earn.points));
}

/** What `points` are worth in minor units, rounded down. */
export function pointsValue(program: Pick<LoyaltyProgram, 'redeem'>, points: number): number {
  if (points <= 0) return 0;
  return clamp((BigInt(points) * BigInt(program.redeem.amount)) / BigInt(program.redeem.points));
}

/** The fewest whole points worth at least `amount` minor units. */
export function pointsFor(program: Pick<LoyaltyProgram, 'redeem'>, amount: number): number {
  if (amount <= 0) return 0;
  const { points, amount: per } = program.redeem;
  return clamp((BigInt(amount) * BigInt(points) + BigInt(per) - 1n) / BigInt(per));
}

/**
 * A spend of a card's `balance` towards `due` minor units, at most `cap` of them (null: no cap): the
 * amount the points pay and the points that takes. Nothing when the balance buys less than a cent.
 */
export function pointsSpend(program: Pick<LoyaltyProgram, 'redeem'>, balance: number, due: number, cap: number | null): { amount: number; points: number } {
  const amount = Math.max(0, Math.min(due, cap ?? MAX, pointsValue(program, balance)));
  return { amount, points: pointsFor(program, amount) };
}
