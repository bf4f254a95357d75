// The cashier UI's state: one zustand store made of typed slices (store.ts). Every slice reaches the
// till only through the till API (sync/till.ts) and the core; components only read state and call
// actions, so no business rule lives in a component.
import type { StoreApi } from 'zustand/vanilla';
import type { Till, TillOptions, PullProgress, SyncStatus, ConflictRow, RedemptionRow, StoreCredit, TicketRow, DevicePairingStore, ReplicaSummary } from '../../sync/till';
import type { Customer, Product } from '../../sync/protocol';
import type { TicketLine } from '../../core/ticket';
import type { TicketEvaluation } from '../../core/evaluate-ticket';
import type { ValidationReason } from '../../core/reasons';
import type { Voucher } from '../../core/voucher';
import type { Validation } from '../../core/validate';
import type { TillIdentity } from '../../sync/protocol';
import type { TillShellApi } from '../shell/till-shell-api';
import type { UiSettings } from './settings-schema';

export type Screen = 'checkout' | 'voucher-check' | 'gift-card' | 'refund' | 'sync' | 'settings' | 'receipt';

export type Notice = { tone: 'info' | 'success' | 'error'; text: string; at: number };

/** What the store needs from the outside world — injected, so tests pass fakes or a fake-indexeddb till. */
export type StoreDeps = {
  shell: TillShellApi;
  openTill: (options: Pick<TillOptions, 'hqUrl' | 'token' | 'dbName' | 'settings'>) => Promise<Till>;
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  /** Which till this device is and which replicas it holds, on disk before the till sells (sync/device-pairing.ts). */
  device: DevicePairingStore;
  /** Which till a token belongs to (GET /v1/tills/me); pairing with a token asks, a pairing code's answer says. */
  whoAmI: (hqUrl: string, token: string) => Promise<TillIdentity>;
  now: () => number;
  /** Pairing values handed over by whoever started the app (npm start puts them in the URL fragment). */
  pairingHint?: { hqUrl?: string; token?: string };
};

export type SessionSlice = {
  phase: 'starting' | 'pairing' | 'loading' | 'ready';
  till: Till | null;
  hqUrl: string;
  /** Offered on the pairing screen (from the shell's settings or npm start). */
  suggestedToken: string;
  loadProgress: PullProgress | null;
  pairingError: string | null;
  /** Replicas on this device whose sales HQ has not received and that are not the open till's. */
  unsentElsewhere: ReplicaSummary[];
  boot(): Promise<void>;
  pair(hqUrl: string, token: string): Promise<void>;
  /** Close and open the till again, e.g. with new settings. */
  reopenTill(): Promise<void>;
  unpair(): Promise<void>;
};

export type EntryMode = 'code' | 'product' | 'customer';

export type UiSlice = {
  screen: Screen;
  notice: Notice | null;
  /** What the checkout's entry field does with typed text: scan/code, product search, customer search. */
  entryMode: EntryMode;
  selectedLine: number;
  setEntryMode(mode: EntryMode): void;
  selectLine(index: number): void;
  go(screen: Screen): void;
  say(tone: Notice['tone'], text: string): void;
};

/**
 * A voucher the cashier scanned onto the ticket; the evaluation says what it does now. `spend_points`:
 * a loyalty card pays with its points too (it is core's VoucherEntry).
 */
export type AppliedVoucher = { code: string; voucher: Voucher | undefined; spend_points?: boolean };
/** A scan that was refused: shown as a chip with its reason until the ticket changes hands. */
export type RefusedVoucher = { code: string; voucher: Voucher | undefined; reason: ValidationReason; text: string };

export type Tender = { method: 'CASH'; tendered: number } | { method: 'CARD' };

export type TicketSlice = {
  lines: TicketLine[];
  customer: Customer | null;
  applied: AppliedVoucher[];
  refused: RefusedVoucher[];
  evaluation: TicketEvaluation;
  paying: boolean;
  lastReceipt: TicketRow | null;
  scan(raw: string): Promise<void>;
  addProduct(product: Product, quantity?: number): Promise<void>;
  setQuantity(index: number, quantity: number): Promise<void>;
  removeLine(index: number): Promise<void>;
  attachCustomer(customer: Customer | null): Promise<void>;
  addVoucher(code: string, scanned?: Voucher): Promise<void>;
  removeVoucher(code: string): Promise<void>;
  /** A loyalty card on the ticket: pay with its points, or stop paying with them (it earns either way). */
  togglePoints(code: string): Promise<void>;
  startPayment(): Promise<void>;
  cancelPayment(): void;
  pay(tender: Tender): Promise<TicketRow | null>;
  clearTicket(): void;
};

export type VoucherCheckSlice = {
  checked: { code: string; voucher: Voucher | undefined; verdict: Validation | null } | null;
  checkVoucher(raw: string): Promise<void>;
};

export type GiftCardSlice = {
  issuedCard: Voucher | null;
  giftCodesLeft: number | null;
  sellGiftCard(amount: number): Promise<Voucher | null>;
  refreshGiftCodes(): Promise<void>;
};

export type RefundSlice = {
  refundTicket: TicketRow | null;
  refundResult: { ticket: TicketRow; rolledBack: RedemptionRow[]; credited?: Voucher } | null;
  findRefundTicket(raw: string): Promise<void>;
  /** Without `credit`, what was paid goes back to cash or card. */
  refund(credit?: StoreCredit): Promise<void>;
};

export type SyncSlice = {
  sync: SyncStatus;
  conflicts: ConflictRow[];
  refreshConflicts(): Promise<void>;
  syncNow(): Promise<void>;
  acknowledgeConflict(opId: string): Promise<void>;
};

export type SettingsSlice = {
  settings: UiSettings;
  saveSettings(input: unknown): Promise<{ ok: true } | { ok: false; errors: string[] }>;
};

export type TillState = SessionSlice & UiSlice & TicketSlice & VoucherCheckSlice & GiftCardSlice & RefundSlice & SyncSlice & SettingsSlice;

export type TillStore = StoreApi<TillState>;

/** The arguments zustand passes to a slice creator, plus the injected dependencies. */
export type SliceArgs = [set: TillStore['setState'], get: TillStore['getState'], deps: StoreDeps];
