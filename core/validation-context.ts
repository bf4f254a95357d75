import type { LoyaltyProgram } from './loyalty';

// Everything a validation needs besides the voucher and the ticket. HQ passes online: true and no
// replica age; a till passes whether its last request to HQ succeeded and how old its replica is.

export type OfflinePolicy = {
  /** Most gift-card value (minor units) one ticket may take from gift cards while offline; null = no cap. */
  maxGiftAmountPerTicket: number | null;
  /** Most money (minor units) one ticket may pay with loyalty points while offline; null or absent = no cap. */
  maxPointsAmountPerTicket?: number | null;
  /** Past this replica age, single-use codes are refused offline (someone else may have used them). */
  maxReplicaAgeMs: number | null;
};

export type StackingPolicy = {
  /** Discount vouchers per ticket. */
  maxDiscountVouchers: number;
  /** Gift cards per ticket (they are tender, counted apart from discounts). */
  maxGiftCards: number;
};

export type ValidationContext = {
  /** Epoch milliseconds. Injected: core never reads a clock. */
  now: number;
  /** IANA zone of the store, e.g. "Europe/Berlin". */
  timeZone: string;
  online: boolean;
  offlinePolicy?: OfflinePolicy;
  stacking?: StackingPolicy;
  /** Loyalty programs by id: a loyalty card is valid only with its program (what its points earn and are worth). */
  loyaltyPrograms?: ReadonlyMap<string, LoyaltyProgram>;
  /** Milliseconds since the replica last pulled from HQ (till only). */
  replicaAgeMs?: number;
};

export const DEFAULT_OFFLINE_POLICY: OfflinePolicy = { maxGiftAmountPerTicket: null, maxReplicaAgeMs: null };
export const DEFAULT_STACKING: StackingPolicy = { maxDiscountVouchers: 5, maxGiftCards: 5 };
