// HQ's tables (drizzle). Migrations are generated from this file by drizzle-kit into ./migrations and
// applied by drizzle's migrator on both PGlite and PostgreSQL — the same SQL on both.
//
// Replicated rows (vouchers, products, customers, tombstones) carry `change_seq`, stamped from one
// sequence while holding a transaction-scoped advisory lock (see changes.ts): stamps are handed out in
// commit order, so a till's checkpoint never skips a change that commits late.
import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, numeric, pgSequence, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const changeSeq = pgSequence('change_seq', { startWith: 1 });

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });
const money = (name: string) => bigint(name, { mode: 'number' });

export const vouchers = pgTable(
  'vouchers',
  {
    code: text('code').primaryKey(),
    type: text('type').notNull(),
    campaign: text('campaign'),
    category: text('category'),
    currency: text('currency').notNull(),
    status: text('status').notNull().default('ACTIVE'),
    quantity: integer('quantity'),
    redeemedQuantity: integer('redeemed_quantity').notNull().default(0),
    giftAmount: money('gift_amount'),
    giftBalance: money('gift_balance'),
    /** A loyalty card's points (core/voucher.ts LoyaltySchema); null on other vouchers. */
    pointsBalance: bigint('points_balance', { mode: 'number' }),
    pointsEarned: bigint('points_earned', { mode: 'number' }),
    pointsSpent: bigint('points_spent', { mode: 'number' }),
    /** Every other field of the voucher object (label, discount, windows, restrictions, metadata…). */
    attrs: jsonb('attrs').notNull(),
    usedAt: ts('used_at'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    changeSeq: bigint('change_seq', { mode: 'number' }).notNull(),
  },
  (t) => [index('vouchers_change_seq').on(t.changeSeq), index('vouchers_campaign').on(t.campaign, t.code), index('vouchers_status_type').on(t.status, t.type)],
);

export const tombstones = pgTable(
  'tombstones',
  {
    kind: text('kind').notNull(), // 'voucher' | 'product' | 'customer'
    id: text('id').notNull(),
    changeSeq: bigint('change_seq', { mode: 'number' }).notNull(),
    deletedAt: ts('deleted_at').notNull(),
  },
  (t) => [uniqueIndex('tombstones_kind_id').on(t.kind, t.id), index('tombstones_change_seq').on(t.changeSeq)],
);

export const products = pgTable(
  'products',
  {
    id: text('id').primaryKey(),
    barcode: text('barcode'),
    name: text('name').notNull(),
    unitPrice: money('unit_price').notNull(),
    taxRate: numeric('tax_rate', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    active: boolean('active').notNull().default(true),
    changeSeq: bigint('change_seq', { mode: 'number' }).notNull(),
  },
  (t) => [index('products_change_seq').on(t.changeSeq), index('products_barcode').on(t.barcode)],
);

export const customers = pgTable(
  'customers',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    cardCode: text('card_code'),
    changeSeq: bigint('change_seq', { mode: 'number' }).notNull(),
  },
  (t) => [index('customers_change_seq').on(t.changeSeq)],
);

export const tills = pgTable('tills', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  timeZone: text('time_zone').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  /** SHA-256 of the till's pending pairing code (core/pairing-code.ts), cleared when it is used. */
  pairingCodeHash: text('pairing_code_hash').unique(),
  pairingExpiresAt: ts('pairing_expires_at'),
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
  createdAt: ts('created_at').notNull().default(sql`now()`),
  /**
   * 'till' (a device with a token), or a channel that redeems online through POST /v1/redemptions and
   * has no token of its own: 'integration' (one per API key) or 'back_office' (the admin's). A channel's
   * redemptions are its ops, through the same push_ops() as a till's (hq/online-redemption.ts).
   */
  kind: text('kind').notNull().default('till'),
  /** The store a device stands in (free text, e.g. "Berlin Mitte"): the back office filters by it. */
  store: text('store'),
});

/** Integration API keys (contract: "Online redemption for other channels"): only the key's hash is stored. */
export const apiKeys = pgTable('api_keys', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  /** JSON array of scopes: "redeem", "read". */
  scopes: jsonb('scopes').notNull(),
  keyHash: text('key_hash').notNull().unique(),
  /** The channel (a tills row of kind 'integration') whose ops this key's redemptions are. */
  tillId: uuid('till_id').notNull(),
  createdAt: ts('created_at').notNull().default(sql`now()`),
  /** Set when the key was revoked: it stops working at once (every request reads this row). */
  revokedAt: ts('revoked_at'),
});

/**
 * POST /v1/redemptions by Idempotency-Key: the request's hash and the answer, so the same key with the
 * same body answers the same again, and with another body is refused. Keys are the caller's own
 * (`principal`: the API key's id, or 'admin').
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    principal: text('principal').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    response: text('response').notNull(),
    createdAt: ts('created_at').notNull().default(sql`now()`),
  },
  (t) => [primaryKey({ columns: [t.principal, t.key] })],
);

export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/** Every op a till pushed, with the result HQ returned: replays return this row's result forever. */
export const ops = pgTable(
  'ops',
  {
    opId: uuid('op_id').primaryKey(),
    tillId: uuid('till_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    type: text('type').notNull(),
    outcome: text('outcome').notNull(),
    /** The result as JSON text, without op_id (the key): stored and sent back as is, never parsed by the database. */
    result: text('result').notNull(),
    receivedAt: ts('received_at').notNull().default(sql`now()`),
  },
  // ops_rejected: the back office's reconciliation reads rejected ops without scanning the accepted bulk.
  (t) => [uniqueIndex('ops_till_seq').on(t.tillId, t.seq), index('ops_rejected').on(t.receivedAt).where(sql`outcome = 'REJECTED'`)],
);

/**
 * One row per REDEMPTION, LOYALTY_EARN and LOYALTY_SPEND op, whatever its outcome (conflicts are kept for
 * the back office): what a ROLLBACK names and undoes.
 */
export const redemptions = pgTable(
  'redemptions',
  {
    id: uuid('id').primaryKey(), // the op's op_id
    /** REDEMPTION | LOYALTY_EARN | LOYALTY_SPEND: what undoing it does. */
    kind: text('kind').notNull().default('REDEMPTION'),
    code: text('code').notNull(),
    tillId: uuid('till_id'),
    ticketId: text('ticket_id'),
    /** Discount given, gift amount debited, or what the points spent paid (0 for an earn). */
    amount: money('amount').notNull(),
    /** A loyalty op's points. */
    points: bigint('points', { mode: 'number' }),
    outcome: text('outcome').notNull(),
    reason: text('reason'),
    status: text('status').notNull().default('ACTIVE'),
    overdraft: boolean('overdraft').notNull().default(false),
    winner: jsonb('winner'),
    occurredAt: ts('occurred_at').notNull(),
    createdAt: ts('created_at').notNull().default(sql`now()`),
    rolledBackAt: ts('rolled_back_at'),
    /** Who rolled it back (an audit of the back office's power to undo any till's sale): 'admin' or the till's id. */
    rolledBackBy: text('rolled_back_by'),
    /**
     * The order HQ applied redemptions in, drawn while the voucher is locked: a CONFLICT names the
     * latest applied ACTIVE ACCEPTED redemption of its code (push_ops.sql). Not created_at: every row of
     * one transaction shares that, and a transaction that began first may apply last.
     */
    applied: bigint('applied', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
  },
  (t) => [
    index('redemptions_code').on(t.code, t.applied),
    index('redemptions_till').on(t.tillId, t.createdAt),
    // What reconciliation lists (hq/reconciliation-store.ts): conflicts and overdrafts only.
    index('redemptions_reconcile').on(t.createdAt).where(sql`outcome = 'CONFLICT' OR overdraft`),
  ],
);

/** Append-only gift-card ledger: balance = the sum of its rows (ISSUE and TOP_UP raise the amount too). */
export const giftLedger = pgTable(
  'gift_ledger',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    code: text('code').notNull(),
    kind: text('kind').notNull(), // ISSUE | DEBIT | ROLLBACK | ADJUST | TOP_UP
    amount: money('amount').notNull(), // signed: debits negative
    redemptionId: uuid('redemption_id'),
    createdAt: ts('created_at').notNull().default(sql`now()`),
  },
  (t) => [index('gift_ledger_code').on(t.code)],
);

/**
 * Append-only loyalty ledger: a card's balance = the sum of its rows' points (OPEN: the opening balance;
 * EARN, SPEND (negative), and their reversals EARN_REVERSAL, SPEND_REVERSAL).
 */
export const loyaltyLedger = pgTable(
  'loyalty_ledger',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    code: text('code').notNull(),
    kind: text('kind').notNull(),
    points: bigint('points', { mode: 'number' }).notNull(), // signed
    redemptionId: uuid('redemption_id'),
    createdAt: ts('created_at').notNull().default(sql`now()`),
  },
  (t) => [index('loyalty_ledger_code').on(t.code)],
);

/** Loyalty programs (core/loyalty.ts), replicated to tills like products. */
export const loyaltyPrograms = pgTable(
  'loyalty_programs',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    currency: text('currency').notNull(),
    earnPoints: integer('earn_points').notNull(),
    earnPerAmount: money('earn_per_amount').notNull(),
    redeemPoints: integer('redeem_points').notNull(),
    redeemAmount: money('redeem_amount').notNull(),
    createdAt: ts('created_at').notNull().default(sql`now()`),
    updatedAt: ts('updated_at').notNull().default(sql`now()`),
    changeSeq: bigint('change_seq', { mode: 'number' }).notNull(),
  },
  (t) => [index('loyalty_programs_change_seq').on(t.changeSeq)],
);

/** Codes leased to one till for the gift cards it sells offline. */
export const codeLeases = pgTable(
  'code_leases',
  {
    code: text('code').primaryKey(),
    tillId: uuid('till_id').notNull(),
    leasedAt: ts('leased_at').notNull().default(sql`now()`),
    issuedAt: ts('issued_at'),
  },
  (t) => [index('code_leases_till').on(t.tillId)],
);

export const asyncActions = pgTable('async_actions', {
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  status: text('status').notNull(),
  progress: jsonb('progress').notNull(),
  result: jsonb('result').notNull(),
  createdAt: ts('created_at').notNull().default(sql`now()`),
  updatedAt: ts('updated_at').notNull().default(sql`now()`),
});

/**
 * Abuse counters (hq/counters.ts): failed authentications and pairing attempts per key, in fixed
 * windows, shared by every HQ process on one PostgreSQL. Rows of ended windows are swept. PGlite (one
 * process) counts in memory and leaves this table empty. UNLOGGED (migration 0006): no WAL for counters.
 */
export const abuseCounters = pgTable(
  'abuse_counters',
  {
    key: text('key').primaryKey(),
    count: integer('count').notNull(),
    windowEnds: ts('window_ends').notNull(),
  },
  (t) => [index('abuse_counters_window_ends').on(t.windowEnds)],
);

/**
 * People at HQ (contract: "People at HQ"): back-office users. Only a scrypt hash of the password is
 * stored (hq/people/password.ts). `email` is kept lower-case, so it is unique whatever the case typed.
 */
export const users = pgTable('users', {
  id: uuid('id').primaryKey(),
  email: text('email').notNull().unique(),
  /** admin | manager | viewer (hq/people/roles.ts). */
  role: text('role').notNull(),
  passwordHash: text('password_hash').notNull(),
  disabled: boolean('disabled').notNull().default(false),
  createdAt: ts('created_at').notNull().default(sql`now()`),
  updatedAt: ts('updated_at').notNull().default(sql`now()`),
});

/**
 * Signed-in sessions: the cookie carries 32 random bytes, this table only their SHA-256, so a copy of
 * the database signs nobody in. A session lives until `expires_at`, sign-out, or its user's password
 * change, role change or disabling (all of which delete the user's sessions).
 */
export const sessions = pgTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    userId: uuid('user_id').notNull(),
    createdAt: ts('created_at').notNull().default(sql`now()`),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

/**
 * Every change made by a person, the admin token or an API key (hq/people/audit.ts): who, what, when,
 * and the object before and after. Append-only: nothing updates or deletes a row.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: ts('at').notNull().default(sql`now()`),
    /** 'user' | 'admin_token' | 'api_key'. */
    actorKind: text('actor_kind').notNull(),
    /** The user's or key's id; null for the admin token. */
    actorId: text('actor_id'),
    /** What a reader recognises: the user's e-mail, the key's name, "admin token". */
    actorLabel: text('actor_label').notNull(),
    /** e.g. "voucher.update", "user.create", "reconciliation.handle". */
    action: text('action').notNull(),
    /** What was changed: a voucher code, a user's e-mail, a till's id … */
    target: text('target'),
    before: jsonb('before'),
    after: jsonb('after'),
  },
  (t) => [index('audit_log_at').on(t.at)],
);

/**
 * Reconciliation items a person has dealt with (a conflict, an overdraft, a rejected op — each is one
 * op, so the op's id names it), with their note. The item itself is never changed.
 */
export const reconciliationMarks = pgTable('reconciliation_marks', {
  opId: uuid('op_id').primaryKey(),
  handledAt: ts('handled_at').notNull().default(sql`now()`),
  handledBy: text('handled_by').notNull(),
  note: text('note').notNull(),
});

/**
 * When HQ last heard from each till, kept apart from the tills row so that noting a contact never
 * changes the row version the change feed's cache compares (hq/auth.ts): last_seen_at is written at most
 * once a minute per till and process (hq/till-contacts.ts); the stream columns when its event stream
 * opens and closes.
 */
export const tillContacts = pgTable('till_contacts', {
  tillId: uuid('till_id').primaryKey(),
  lastSeenAt: ts('last_seen_at'),
  streamOpenedAt: ts('stream_opened_at'),
  streamClosedAt: ts('stream_closed_at'),
});
