// Words and numbers for the cashier: every refusal reason has its own sentence, money parses the way
// cashiers type it, dates show in the store's zone, receipts are found by either of their codes.
import { describe, expect, it } from 'vitest';
import { VALIDATION_REASONS } from '../../core/reasons';
import { VoucherSchema, voucherDefaults, type Voucher } from '../../core/voucher';
import { reasonText } from '../../renderer/format/reason-text';
import { conditionLines, effectText } from '../../core/words/voucher-text';
import { formatMoney, parseMoneyInput } from '../../core/words/money-format';
import { formatDateSpec } from '../../core/words/date-format';
import type { DisplayContext } from '../../core/words/display-context';
import { ticketIdIn } from '../../renderer/state/ticket-id';
import { normaliseHqUrl, pairingErrorText } from '../../renderer/state/session-slice';
import { translatorFor } from '../../core/words/i18n';
import { SyncError } from '../../sync/engine/sync-error';

const d: DisplayContext = {
  locale: 'en-GB',
  currency: 'EUR',
  timeZone: 'Europe/Berlin',
  offlinePolicy: { maxGiftAmountPerTicket: 20_000, maxReplicaAgeMs: 86_400_000 },
  stacking: { maxDiscountVouchers: 5, maxGiftCards: 2 },
  productName: (id) => ({ P001: 'Espresso beans' })[id],
};

function voucher(patch: Record<string, unknown>): Voucher {
  return VoucherSchema.parse({
    ...voucherDefaults(), code: 'TEST-1', type: 'DISCOUNT_VOUCHER', label: '', currency: 'EUR', discount: { type: 'AMOUNT', amount_off: 500 }, gift: null,
    redemption: { quantity: null, redeemed_quantity: 0 }, status: 'ACTIVE', used_at: null, created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z', ...patch,
  });
}

describe('reasonText', () => {
  it('gives every core reason its own plain sentence (never a snake_case code)', () => {
    const texts = VALIDATION_REASONS.map((reason) => reasonText(reason, 'TEST-1', voucher({}), d));
    for (const [i, text] of texts.entries()) {
      expect(text, VALIDATION_REASONS[i]).not.toMatch(/[a-z]+_[a-z]+/);
      expect(text, VALIDATION_REASONS[i]).toMatch(/^[A-Z“].*\.$/);
    }
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('uses the voucher to say when, how much and what for', () => {
    expect(reasonText('expired', 'X', voucher({ expiration_date: '2025-12-24' }), d)).toBe('This voucher expired on 24 Dec 2025.');
    expect(reasonText('not_active_yet', 'X', voucher({ start_date: '2027-03-01T09:30:00' }), d)).toBe('This voucher is valid from 1 Mar 2027, 09:30.');
    expect(reasonText('min_order_not_met', 'X', voucher({ min_order_amount: 2000 }), d)).toBe('This voucher needs a ticket of at least €20.00.');
    expect(reasonText('product_not_in_ticket', 'X', voucher({ product_id: 'P001' }), d)).toBe('Add Espresso beans to the ticket to use this voucher.');
    expect(reasonText('quantity_exceeded', 'X', voucher({ redemption: { quantity: 3, redeemed_quantity: 3 } }), d)).toBe('This voucher has been used all 3 times it allows.');
    expect(reasonText('quantity_exceeded', 'X', voucher({ redemption: { quantity: 1, redeemed_quantity: 1 }, used_at: '2026-11-20T15:04:00.000Z', status: 'REDEEMED' }), d)).toBe('This voucher was already used on 20 Nov 2026, 16:04.');
    expect(reasonText('offline_limit_exceeded', 'X', undefined, d)).toBe('While offline, gift cards can pay at most €200.00 of one ticket.');
    expect(reasonText('stacking_limit', 'X', voucher({ type: 'GIFT_VOUCHER', discount: null, gift: { amount: 100, balance: 100 } }), d)).toBe('A ticket can take at most 2 gift cards.');
    expect(reasonText('not_active_now', 'X', voucher({ validity_hours: { daily: [{ start_time: '17:00', expiration_time: '18:59', days_of_week: [1, 2] }] } }), d)).toBe('This voucher cannot be used at this time. It is valid Mon, Tue 17:00–18:59.');
  });

  it('describes effects and conditions', () => {
    expect(effectText(voucher({ discount: { type: 'PERCENT', percent_off: 15, amount_limit: 1000 } }), d)).toBe('15 % off (at most €10.00)');
    expect(effectText(voucher({ discount: { type: 'UNIT', unit_off: 1, product_id: 'P001' } }), d)).toBe('1 × Espresso beans free');
    const breakfast = voucher({ discount: { type: 'UNIT_MULTIPLE', units: [{ unit_off: 1, product_id: 'P001' }, { unit_off: 2, product_id: 'P-JAM' }] } });
    expect(effectText(breakfast, d)).toBe('1 × Espresso beans and 2 × P-JAM free');
    expect(reasonText('product_not_in_ticket', 'X', breakfast, d)).toBe('Add Espresso beans or P-JAM to the ticket to use this voucher.');
    const card = voucher({ type: 'LOYALTY_CARD', campaign: 'CLUB', discount: null, loyalty: { balance: 1250, earned: 0, spent: 0 } });
    expect(effectText(card, d)).toBe('Loyalty card, 1,250 points');
    expect(reasonText('stacking_limit', 'X', card, d)).toBe('A ticket can take one loyalty card.');
    expect(conditionLines(voucher({ redemption: { quantity: 1, redeemed_quantity: 0 }, offline_redeemable: false }), d)).toEqual(['Used 0 of 1 time', 'Needs head office to confirm']);
  });
});

describe('money input and output', () => {
  it.each([
    ['20', 2000], ['20.5', 2050], ['20,50', 2050], ['1 234,50', 123450], ['1,234.50', 123450], ['1.234', 123400], ['0.01', 1], [' 7 ', 700],
  ])('parses %j as %i cents', (text, minor) => expect(parseMoneyInput(text, 'EUR')).toBe(minor));

  it.each(['', 'abc', '-5', '1.2.3.4,5', '20.5.05', '1e3', '12,34,5'])('refuses %j', (text) => expect(parseMoneyInput(text, 'EUR')).toBeNull());

  it('knows currencies without minor units', () => {
    expect(parseMoneyInput('1500', 'JPY')).toBe(1500);
    expect(formatMoney(1500, 'JPY', 'en-GB')).toBe('JP¥1,500');
    expect(formatMoney(123456, 'EUR', 'de-DE')).toBe('1.234,56\u00a0€');
  });
});

describe('dates', () => {
  it('shows plain and store-local dates as written, instants in the store zone', () => {
    expect(formatDateSpec('2025-12-26', 'Pacific/Auckland', 'en-GB')).toBe('26 Dec 2025');
    expect(formatDateSpec('2025-12-26T23:30:00', 'America/New_York', 'en-GB')).toBe('26 Dec 2025, 23:30');
    expect(formatDateSpec('2025-12-26T23:30:00.000Z', 'Europe/Berlin', 'en-GB')).toBe('27 Dec 2025, 00:30');
  });
});

describe('pairing input', () => {
  it('accepts http(s) origins with a path and refuses anything else', () => {
    expect(normaliseHqUrl(' https://hq.example.com/till-api/ ')).toBe('https://hq.example.com/till-api');
    expect(normaliseHqUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    for (const bad of ['hq.example.com', 'ftp://hq', 'https://user:pw@hq.example', 'https://hq.example/?x=1', 'javascript:alert(1)']) expect(normaliseHqUrl(bad)).toBeNull();
  });

  it('explains sync failures in words', () => {
    expect(pairingErrorText(new SyncError('network', 'fetch failed'), 'http://hq', translatorFor('en-GB'))).toBe("Cannot reach head office at http://hq. Check the address and this till's network.");
    expect(pairingErrorText(new SyncError('forbidden', '403'), 'http://hq', translatorFor('en-GB'))).toMatch(/Use a till token/);
  });
});

describe('ticketIdIn', () => {
  const id = '47afd2f9-d86a-4632-bde9-310c5f0a1b2c';
  it('finds a ticket id in the receipt barcode or QR text', () => {
    expect(ticketIdIn(id.toUpperCase())).toBe(id);
    expect(ticketIdIn(`VT1;${id};2647;EUR;2026-11-21T10:00:00.000Z`)).toBe(id);
  });
  it('does not mistake other scans for a ticket', () => {
    expect(ticketIdIn('WELCOME10')).toBeNull();
    expect(ticketIdIn(`https://evil.example/${id}`)).toBeNull();
    expect(ticketIdIn(`${id}x`)).toBeNull();
  });
});
