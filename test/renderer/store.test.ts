// The cashier UI's store, driven through getState() with no React: pairing, scanning, vouchers in
// words, payment, refunds, gift cards, settings — against a real HQ and a real till replica.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { createTillStore } from '../../renderer/state/store';
import { openDevicePairing } from '../../sync/device-pairing';
import { displayContext } from '../../renderer/state/selectors';
import { adminCreate, type LiveHq } from '../../testkit/till-harness';
import { fakeShell, insideOf, memoryStorage, pairedStore, startDemoHq, type StoreUnderTest } from './store-harness';

const ESPRESSO = '4006381100007';
const CROISSANT = '4006381100021';
const WINE = '4006381100052';

let hq: LiveHq;
const opened: StoreUnderTest[] = [];

beforeAll(async () => {
  hq = await startDemoHq();
}, 60_000);

afterAll(async () => {
  for (const { store } of opened) await store.getState().till?.close();
  await hq?.close();
});

async function paired(): Promise<StoreUnderTest> {
  const s = await pairedStore(hq);
  opened.push(s);
  s.store.getState().clearTicket();
  return s;
}

describe('pairing', () => {
  it('starts on the pairing screen, explains bad input, and is ready after the initial load', async () => {
    const shell = fakeShell();
    const store = createTillStore({
      shell, storage: memoryStorage(), now: () => Date.now(), device: openDevicePairing({ indexedDB: new IDBFactory(), IDBKeyRange }),
      whoAmI: async () => { throw new Error('not reached'); }, openTill: async () => { throw new Error('not reached'); }, pairingHint: { hqUrl: 'http://hq.example' },
    });
    await store.getState().boot();
    expect(store.getState().phase).toBe('pairing');
    expect(store.getState().hqUrl).toBe('http://hq.example');
    await store.getState().pair('hq.example', 'till_x');
    expect(store.getState().pairingError).toMatch(/full http:\/\/ or https:\/\/ address/);
    await store.getState().pair('http://hq.example', '  ');
    expect(store.getState().pairingError).toMatch(/Enter the till token or the pairing code/);
    expect(shell.token).toBeNull();
  });

  it('a wrong token is refused in words and forgotten', async () => {
    const { store, shell } = await paired();
    await store.getState().unpair();
    expect(store.getState().phase).toBe('pairing');
    await store.getState().pair(hq.url, 'till_not-a-real-token');
    expect(store.getState().phase).toBe('pairing');
    expect(store.getState().pairingError).toBe('Head office did not accept this till token. Check it, or ask for a new one.');
    expect(shell.token).toBeNull();
  });

  it('pairs with a pairing code typed as people type it, and says in words when a code is used up', async () => {
    const { store, shell } = await paired();
    await store.getState().unpair();
    const { till_id } = await hq.newTill('Code till', 'Europe/Berlin');
    const { pairing_code } = (await hq.admin({ method: 'POST', url: `/v1/tills/${till_id}/pairing-code` })).json();
    await store.getState().pair(hq.url, ` ${pairing_code.toLowerCase()} `);
    expect(store.getState()).toMatchObject({ phase: 'ready', pairingError: null });
    expect(shell.token).toMatch(/^till_/);
    // The stored token is the one HQ handed out for the code: HQ knows the till by it.
    expect((await hq.as(shell.token!, { method: 'GET', url: '/v1/sync/changes?checkpoint=0&limit=1' })).statusCode).toBe(200);

    await store.getState().unpair();
    await store.getState().pair(hq.url, pairing_code);
    expect(store.getState().phase).toBe('pairing');
    expect(store.getState().pairingError).toBe('Head office does not know this pairing code, or it was used or has expired. Ask head office for a new one.');
    expect(shell.token).toBeNull();

    // A mistyped code is explained, not sent to head office as a token.
    await store.getState().pair(hq.url, 'K0QM-3XHD');
    expect(store.getState().pairingError).toBe('A pairing code is 8 letters and digits, such as K7QM-3XHD (never 0, 1, I, L or O). A till token starts with till_.');
  });

  it('a code exchanged but not saved (the shell cannot store the token) leaves the new token in the field', async () => {
    const { store, shell } = await paired();
    await store.getState().unpair();
    const { till_id } = await hq.newTill('Unlucky till', 'Europe/Berlin');
    const { pairing_code } = (await hq.admin({ method: 'POST', url: `/v1/tills/${till_id}/pairing-code` })).json();
    shell.storeToken = async () => {
      throw new Error('The system keyring is locked.');
    };
    await store.getState().pair(hq.url, pairing_code);
    const s = store.getState();
    expect(s.phase).toBe('pairing');
    expect(s.pairingError).toBe('The system keyring is locked. The pairing code is used up: the token field now holds this till’s token, so press Enter to try again.');
    expect(s.suggestedToken).toMatch(/^till_/);
    expect((await hq.as(s.suggestedToken, { method: 'GET', url: '/v1/sync/changes?checkpoint=0&limit=1' })).statusCode).toBe(200);
  });

  it('once paired, the catalog is loaded, the status is live and a restart skips the load', async () => {
    const { store, shell, storage, indexedDB } = await paired();
    const s = store.getState();
    expect(s.phase).toBe('ready');
    expect(displayContext(s).productName?.('P003')).toBe('Croissant');
    expect(s.sync.online).toBe(true);
    expect(shell.token).toMatch(/^till_/);
    // The pairing is in IndexedDB (written durably before the till sells), not in localStorage.
    expect(storage.data.get('voucher-till:hq-url')).toBeUndefined();
    expect(await openDevicePairing({ indexedDB, IDBKeyRange }).current()).toMatchObject({ hqUrl: hq.url, identity: { name: 'Store test till', hq_url: hq.url } });
  });
});

describe('checkout', () => {
  it('scans products (same product twice = quantity 2) and vouchers, with totals from the core', async () => {
    const { store } = await paired();
    const s = () => store.getState();
    await s().scan(ESPRESSO);
    await s().scan(ESPRESSO);
    await s().scan(WINE);
    expect(s().lines.map((l) => [l.name, l.quantity])).toEqual([['Espresso beans 500 g', 2], ['Red wine 0.75 l', 1]]);
    await s().scan('welcome10');
    await s().scan('FIVEOFF');
    expect(s().applied.map((a) => a.code)).toEqual(['WELCOME10', 'FIVEOFF']);
    expect(s().evaluation.total_before).toBe(3497);
    expect(s().evaluation.total_discount).toBe(350 + 500);
    expect(s().evaluation.amount_due).toBe(2647);
  });

  it('a refused voucher becomes a chip with its reason in words, and is not applied', async () => {
    const { store } = await paired();
    const s = () => store.getState();
    await s().scan(CROISSANT);
    await s().scan('XMAS-2025');
    await s().scan('VIP-ANNA');
    await s().scan('NOPE-0000');
    expect(s().applied).toEqual([]);
    expect(s().refused.map((r) => [r.code, r.reason])).toEqual([
      ['NOPE-0000', 'not_found'],
      ['VIP-ANNA', 'missing_customer'],
      ['XMAS-2025', 'expired'],
    ]);
    expect(s().refused[2]?.text).toBe('This voucher expired on 26 Dec 2025.');
    expect(s().notice).toMatchObject({ tone: 'error', text: 'No voucher or gift card has the code NOPE-0000.' });
    // A customer card scanned: the customer's voucher now applies.
    await s().scan('CARD-ANNA-0001');
    expect(s().customer?.name).toBe('Anna Schmidt');
    await s().scan('VIP-ANNA');
    expect(s().applied.map((a) => a.code)).toEqual(['VIP-ANNA']);
    expect(s().refused.map((r) => r.code)).not.toContain('VIP-ANNA');
  });

  it('a customer’s loyalty card makes the ticket theirs, earns, and pays with points when asked', async () => {
    const { store } = await paired();
    const s = () => store.getState();
    await s().scan(ESPRESSO); // 12.99
    await s().scan('club-ben');
    expect(s().customer?.id).toBe('C-BEN');
    expect(s().applied.map((a) => a.code)).toEqual(['CLUB-BEN']);
    expect(s().evaluation.results[0]).toMatchObject({ valid: true, type: 'LOYALTY_CARD', points_earned: 12, points_spent: 0 });
    await s().togglePoints('CLUB-BEN');
    expect(s().evaluation.results[0]).toMatchObject({ points_spent: 500, gift_amount: 500, points_earned: 7 });
    expect(s().evaluation.amount_due).toBe(799);
    const row = await s().pay({ method: 'CARD' });
    expect(row?.balances).toEqual([{ code: 'CLUB-BEN', kind: 'LOYALTY', balance: 7 }]);
    expect(row?.ticket.customer_id).toBe('C-BEN');
  });

  it('a voucher whose condition goes away stays on the ticket with its reason and is not sold', async () => {
    const { store } = await paired();
    const s = () => store.getState();
    await s().scan(ESPRESSO);
    await s().scan(CROISSANT);
    await s().scan('BEANS999');
    expect(s().evaluation.results[0]).toMatchObject({ valid: true, discount_amount: 300 });
    await s().removeLine(0);
    expect(s().evaluation.results[0]).toMatchObject({ valid: false, reason: 'product_not_in_ticket' });
    const row = await s().pay({ method: 'CARD' });
    expect(row?.codes).toEqual([]);
    expect(row?.evaluation.amount_due).toBe(189);
  });

  it('scans are handled in order and payment waits for them', async () => {
    const { store } = await paired();
    const s = () => store.getState();
    void s().scan(CROISSANT);
    void s().scan(WINE);
    await s().startPayment();
    expect(s().paying).toBe(true);
    expect(s().lines.map((l) => l.product_id)).toEqual(['P003', 'P006']);
  });

  it('cash: too little is refused in words, enough completes the sale with change and queues it', async () => {
    const { store } = await paired();
    const s = () => store.getState();
    await s().scan(WINE);
    expect(await s().pay({ method: 'CASH', tendered: 500 })).toBeNull();
    expect(s().notice?.text).toBe('Cash given (€5.00) is less than the amount due (€8.99).');
    expect(s().lines).toHaveLength(1);
    const row = await s().pay({ method: 'CASH', tendered: 1000 });
    expect(row?.payments).toEqual([{ method: 'CASH', tendered: 1000, change: 101 }]);
    expect(s().screen).toBe('receipt');
    expect(s().lastReceipt?.id).toBe(row?.id);
    expect(s().lines).toEqual([]);
    expect(s().notice?.text).toBe('Sale complete. Change due: €1.01');
  });

  it('a voucher used elsewhere between scan and payment is taken off with its reason; nothing is charged', async () => {
    const { store } = await paired();
    const s = () => store.getState();
    await s().scan(WINE);
    await s().scan('ONCE-0004');
    expect(s().applied.map((a) => a.code)).toEqual(['ONCE-0004']);
    // The same till sells it on another ticket first (as a second window would).
    await s().till!.completeTicket({ ticket: { currency: 'EUR', customer_id: null, lines: [{ product_id: 'P006', name: 'Red wine', quantity: 1, unit_price: 899, tax_rate: 19 }] }, codes: ['ONCE-0004'], payments: [{ method: 'CARD', amount: 599 }] });
    expect(await s().pay({ method: 'CARD' })).toBeNull();
    expect(s().applied).toEqual([]);
    expect(s().refused[0]).toMatchObject({ code: 'ONCE-0004', reason: 'quantity_exceeded' });
    expect(s().notice?.text).toMatch(/^This voucher was already used on .*It was taken off the ticket/);
    expect(s().evaluation.amount_due).toBe(899);
  });
});

describe('desks', () => {
  it('refund as store credit on a new gift card: the notice names the card and the amount; the ticket keeps it', async () => {
    const { store } = await paired();
    const s = () => store.getState();
    await s().scan(WINE);
    const row = (await s().pay({ method: 'CARD' }))!;
    s().go('refund');
    await s().scan(`VT1;${row.id};${row.evaluation.amount_due};EUR;${row.completed_at}`);
    await s().refund({ to: 'new' });
    const credit = s().refundResult?.ticket.credit;
    expect(credit).toMatchObject({ to: 'new' });
    expect(s().refundResult?.credited).toMatchObject({ code: credit!.code, gift: { amount: row.evaluation.amount_due, balance: row.evaluation.amount_due } });
    expect(s().notice?.text).toMatch(new RegExp(`^Refunded\\. No vouchers were used on this ticket\\. .+ store credit on gift card ${credit!.code}\\.$`));
    // A discount voucher cannot hold store credit: said in words, nothing refunded.
    s().go('checkout');
    await s().scan(WINE);
    const other = (await s().pay({ method: 'CARD' }))!;
    s().go('refund');
    await s().scan(`VT1;${other.id};${other.evaluation.amount_due};EUR;${other.completed_at}`);
    await s().refund({ to: 'card', code: 'ONCE-0005' });
    expect(s().notice?.text).toBe('Gift card ONCE-0005 cannot take store credit (it is not a gift card). Nothing was refunded.');
    expect(s().refundTicket?.refunded_at).toBeUndefined();
  });


  it('refund: find the ticket by its receipt QR text and give its voucher back, once', async () => {
    const { store } = await paired();
    const s = () => store.getState();
    await s().scan(WINE);
    await s().scan('ONCE-0005');
    const row = (await s().pay({ method: 'CARD' }))!;
    s().go('refund');
    await s().scan(`VT1;${row.id};599;EUR;${row.completed_at}`);
    expect(s().refundTicket?.id).toBe(row.id);
    await s().refund();
    expect(s().refundResult?.rolledBack.map((r) => r.code)).toEqual(['ONCE-0005']);
    await s().refund();
    expect(s().notice?.text).toMatch(/^This ticket was already refunded on .* Nothing more to give back\.$/);
    s().go('checkout');
    await s().scan(WINE);
    await s().scan('ONCE-0005');
    expect(s().applied.map((a) => a.code)).toEqual(['ONCE-0005']);
  });

  it('voucher check: ticket-independent verdict, and products or customer cards are told apart', async () => {
    const { store } = await paired();
    const s = () => store.getState();
    s().go('voucher-check');
    await s().scan('FIVEOFF');
    expect(s().checked).toMatchObject({ code: 'FIVEOFF', verdict: { valid: false, reason: 'min_order_not_met' } });
    await s().scan('GIFT-0050');
    expect(s().checked).toMatchObject({ code: 'GIFT-0050', verdict: { valid: true } });
    await s().scan(CROISSANT);
    expect(s().notice?.text).toBe('That is a product (Croissant), not a voucher.');
  });

  it('gift card: sold from the leased codes, usable at once', async () => {
    const { store } = await paired();
    const s = () => store.getState();
    await s().refreshGiftCodes();
    const before = s().giftCodesLeft!;
    expect(before).toBeGreaterThan(0);
    const card = await s().sellGiftCard(2500);
    expect(card).toMatchObject({ type: 'GIFT_VOUCHER', gift: { amount: 2500, balance: 2500 } });
    expect(s().giftCodesLeft).toBe(before - 1);
    expect(await s().sellGiftCard(0)).toBeNull();
    expect(s().notice?.text).toBe('A gift card needs an amount above zero.');
    s().go('checkout');
    await s().scan(WINE);
    await s().scan(card!.code);
    expect(s().evaluation.gift_total).toBe(899);
  });

  it('settings: bad values are refused per field; good ones are stored and the till reopened with them', async () => {
    const { store, storage } = await paired();
    const s = () => store.getState();
    const bad = await s().saveSettings({ ...s().settings, timeZone: 'Mars/Olympus', currency: 'euro' });
    expect(bad).toEqual({ ok: false, errors: ['Store time zone: must be an IANA time zone such as Europe/Berlin', 'Currency: must be a three-letter ISO 4217 code such as EUR'] });
    // In the language the cashier reads: the labels of the Settings screen, the reasons in German.
    await s().saveSettings({ ...s().settings, locale: 'de-DE' });
    const german = await s().saveSettings({ ...s().settings, currency: 'euro', maxGiftCardAmount: 0 });
    expect(german).toEqual({ ok: false, errors: ['Währung: muss ein dreibuchstabiger ISO-4217-Code sein, etwa EUR', 'Höchster Wert einer an dieser Kasse verkauften Geschenkkarte: muss größer als 0 sein'] });
    await s().saveSettings({ ...s().settings, locale: 'en-GB' });
    const before = s().till;
    expect(await s().saveSettings({ ...s().settings, timeZone: 'America/New_York', maxOfflineGiftPerTicket: 5000 })).toEqual({ ok: true });
    expect(JSON.parse(storage.data.get('voucher-till:settings')!)).toMatchObject({ timeZone: 'America/New_York', maxOfflineGiftPerTicket: 5000 });
    expect(s().till).not.toBe(before);
    expect(s().till?.settings.timeZone).toBe('America/New_York');
    expect(s().till?.settings.offlinePolicy.maxGiftAmountPerTicket).toBe(5000);
    expect(s().phase).toBe('ready');
  });
});

describe('sync', () => {
  it('conflicts reach the panel with the winner', async () => {
    await adminCreate(hq, { code: 'ONE-SHOT-1', type: 'DISCOUNT_VOUCHER', currency: 'EUR', discount: { type: 'AMOUNT', amount_off: 100 } });
    const a = await paired();
    const b = await paired();
    for (const { store } of [a, b]) {
      await store.getState().scan(WINE);
      await store.getState().scan('ONE-SHOT-1');
      expect(store.getState().applied.map((x) => x.code)).toEqual(['ONE-SHOT-1']);
    }
    // Both sell before either pushes (as two offline tills would).
    await Promise.all([a, b].map(({ store }) => insideOf(store.getState().till).engine.stop()));
    for (const { store } of [a, b]) expect(await store.getState().pay({ method: 'CARD' })).not.toBeNull();
    for (const { store } of [a, b]) await store.getState().syncNow();
    const conflicts = [a, b].map(({ store }) => store.getState().conflicts);
    expect(conflicts.map((c) => c.length).sort()).toEqual([0, 1]);
    const conflict = conflicts.flat()[0]!;
    expect(conflict).toMatchObject({ code: 'ONE-SHOT-1' });
    expect(conflict.winner?.till_id).toBeTruthy();
    const loser = [a, b].find(({ store }) => store.getState().conflicts.length === 1)!.store;
    expect(loser.getState().sync.unacknowledgedConflicts).toBe(1);
    await loser.getState().acknowledgeConflict(conflict.op_id);
    expect(loser.getState().conflicts[0]?.acknowledged).toBe(1);
  });
});
