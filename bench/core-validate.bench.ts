// npm run bench:core — validation of one code against a 20-line ticket with every window kind set.
// Target (issue 2): p99 under 50 µs; the whole scan → decision budget is 5 ms including storage.
import os from 'node:os';
import { validateVoucher } from '../core/validate';
import { evaluateTicket } from '../core/evaluate-ticket';
import { classifyScan } from '../core/scan/classify';
import { discountVoucher, giftVoucher, twentyLineTicket } from '../testkit/fixtures';
import { measure, printTable } from './harness';

const windows = {
  start_date: '2026-01-01',
  expiration_date: '2027-12-31T18:00:00',
  validity_day_of_week: [0, 1, 2, 3, 4, 5, 6],
  validity_hours: { daily: [{ start_time: '07:00', expiration_time: '02:00', days_of_week: [0, 1, 2, 3, 4, 5, 6] }] },
  validity_timeframe: { interval: 'P1D', duration: 'PT20H' },
  customer_id: 'C1',
  product_id: 'P3',
  min_order_amount: 1000,
};
const percent = discountVoucher({ type: 'PERCENT', percent_off: 15, amount_limit: 5000 }, { code: 'PCT15OFF', ...windows });
const amount = discountVoucher({ type: 'AMOUNT', amount_off: 500 }, { code: 'FIVEOFF1', ...windows, product_id: null });
const unit = discountVoucher({ type: 'UNIT', unit_off: 1, product_id: 'P5' }, { code: 'FREEP5XX', ...windows, product_id: null });
const gift = giftVoucher(10_000, 7_500, { code: 'GIFT7500', ...windows, product_id: null, customer_id: null });
const ticket = twentyLineTicket();
const base = Date.parse('2026-11-21T10:00:00Z');
// Vary "now" over a week so no per-instant cache can help; every call converts to local time.
const ctx = (i: number) => ({ now: base + (i % 10_080) * 60_000, timeZone: 'Europe/Berlin', online: i % 2 === 0 });

const rows = [
  measure('validate 1 code, all windows, 20 lines', (i) => validateVoucher({ code: 'pct15off', voucher: percent }, ticket, [], ctx(i)).valid),
  measure('validate with 3 applied (unit, amount, gift)', (i) => validateVoucher({ code: 'PCT15OFF', voucher: percent }, ticket, [unit, amount, gift], ctx(i)).valid),
  measure('evaluate ticket, 4 vouchers', (i) => evaluateTicket(ticket, [percent, unit, amount, gift].map((v) => ({ code: v.code, voucher: v })), ctx(i)).amount_due),
  measure('refusal: not_found', (i) => validateVoucher({ code: 'NOPE1234', voucher: undefined }, ticket, [], ctx(i)).valid),
  measure('classify scan: EAN-13', () => classifyScan('4006381333931').kind),
  measure('classify scan: QR URL', () => classifyScan('https://shop.example/redeem?code=pct15off').kind),
];
printTable(`core validation — ${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cores, Node ${process.version}`, rows);
