// Voucher assets (contract v1 additions): signed, expiring links to a Code 128 and a QR image (svg | png)
// and a printable page, on every voucher HQ's API answers with; tampered or expired links are 403.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Voucher } from '../../core/voucher';
import { voucherPrint } from '../../core/words/voucher-print';
import { DEFAULT_OFFLINE_POLICY, DEFAULT_STACKING } from '../../core/validation-context';
import { BACKENDS, startHq, type Hq } from '../../testkit/hq-harness';
import { expectProblem, giftBody, uniqueCode } from './helpers';

const BASE = 'https://hq.example.com';

describe.each(BACKENDS)('voucher assets on %s', (backend) => {
  let hq: Hq;
  beforeAll(async () => {
    hq = await startHq(backend, { assets: { publicUrl: BASE, ttlDays: 7 } });
  }, 60_000);
  afterAll(async () => hq?.close());

  /** A link's path and query, as a customer's browser would ask HQ for it. */
  const local = (url: string) => url.slice(BASE.length);
  const create = async (body: Record<string, unknown>) => {
    const res = await hq.admin({ method: 'POST', url: '/v1/vouchers', payload: body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Voucher;
  };

  it('every voucher the API answers with has absolute, signed links that expire after the configured time', async () => {
    const v = await create({ type: 'DISCOUNT_VOUCHER', currency: 'EUR', label: '5 off', discount: { type: 'AMOUNT', amount_off: 500 }, code: uniqueCode('A') });
    const before = Math.floor(Date.now() / 1000);
    for (const url of Object.values(v.assets!)) {
      expect(url.startsWith(`${BASE}/v1/assets/${v.code}/`)).toBe(true);
      const exp = Number(new URL(url).searchParams.get('exp'));
      expect(exp - before).toBeGreaterThanOrEqual(7 * 86_400 - 5);
      expect(exp - before).toBeLessThanOrEqual(7 * 86_400 + 5);
    }
    expect(Object.keys(v.assets!)).toEqual(['barcode_url', 'qr_url', 'print_url']);
    const one = (await hq.admin({ method: 'GET', url: `/v1/vouchers/${v.code}` })).json() as Voucher;
    expect(one.assets?.print_url).toMatch(/\/print\?exp=\d+&sig=[\w-]+$/);
    const list = (await hq.admin({ method: 'GET', url: '/v1/vouchers?limit=500' })).json() as { result: Voucher[] };
    expect(list.result.every((x) => x.assets?.qr_url.includes(`/v1/assets/${x.code}/qr?`))).toBe(true);
    // Tills never get them: the change feed is the same bytes for every till.
    const till = await hq.newTill('Assets');
    const page = (await hq.as(till.token, { method: 'GET', url: '/v1/sync/changes?limit=10000' })).json() as { vouchers: Voucher[] };
    expect(page.vouchers.find((x) => x.code === v.code)).not.toHaveProperty('assets');
  });

  it('serves the codes as SVG or PNG and the printable page with core’s print layout, without a token', async () => {
    const v = await create({ ...giftBody(2_500), code: uniqueCode('A'), label: 'Birthday' });
    const barcode = await hq.app.inject({ method: 'GET', url: local(v.assets!.barcode_url) });
    expect([barcode.statusCode, barcode.headers['content-type']]).toEqual([200, 'image/svg+xml']);
    expect(barcode.body).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    const png = await hq.app.inject({ method: 'GET', url: `${local(v.assets!.qr_url)}&format=png` });
    expect([png.statusCode, png.headers['content-type']]).toEqual([200, 'image/png']);
    expect(png.rawPayload.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const qr = await hq.app.inject({ method: 'GET', url: local(v.assets!.qr_url) });
    expect(qr.body).toContain('<svg');
    const page = await hq.app.inject({ method: 'GET', url: local(v.assets!.print_url) });
    expect([page.statusCode, page.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
    expect(page.headers['content-security-policy']).toBe("default-src 'none'; img-src data:; style-src 'unsafe-inline'");
    const layout = voucherPrint(v, { locale: 'en-GB', currency: 'EUR', timeZone: 'Europe/Berlin', offlinePolicy: DEFAULT_OFFLINE_POLICY, stacking: DEFAULT_STACKING });
    expect(layout.headline).toBe('Gift card, balance €25.00 of €25.00');
    for (const text of [layout.title, layout.headline, ...layout.lines, v.code]) expect(page.body).toContain(text);
    expect(page.body.match(/<img [^>]*src="data:image\/svg\+xml/g)).toHaveLength(2);
    expect(page.body).not.toMatch(/<script/i);
  });

  it('a tampered, swapped or expired link is 403; a signed link to a deleted voucher is 404', async () => {
    const v = await create({ type: 'DISCOUNT_VOUCHER', currency: 'EUR', label: '<b>Bold</b>', discount: { type: 'AMOUNT', amount_off: 500 }, code: uniqueCode('A') });
    const qr = new URL(v.assets!.qr_url);
    const sig = qr.searchParams.get('sig')!;
    const exp = qr.searchParams.get('exp')!;
    const flipped = `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`;
    expectProblem(await hq.app.inject({ method: 'GET', url: `/v1/assets/${v.code}/qr?exp=${exp}&sig=${flipped}` }), 403, { code: 'asset_link_invalid' });
    expectProblem(await hq.app.inject({ method: 'GET', url: `/v1/assets/${v.code}/qr?exp=${Number(exp) + 1}&sig=${sig}` }), 403, { code: 'asset_link_invalid' });
    expectProblem(await hq.app.inject({ method: 'GET', url: `/v1/assets/${v.code}/print?exp=${exp}&sig=${sig}` }), 403, { code: 'asset_link_invalid' });
    const other = await create({ type: 'DISCOUNT_VOUCHER', currency: 'EUR', discount: { type: 'AMOUNT', amount_off: 100 }, code: uniqueCode('A') });
    expectProblem(await hq.app.inject({ method: 'GET', url: `/v1/assets/${other.code}/qr?exp=${exp}&sig=${sig}` }), 403, { code: 'asset_link_invalid' });
    // A link signed by HQ a year ago, valid for a week.
    const old = hq.ctx.assets.signer.links(BASE, v.code, Date.now() - 365 * 86_400_000);
    expectProblem(await hq.app.inject({ method: 'GET', url: local(old.qr_url) }), 403, { code: 'asset_link_expired' });
    expectProblem(await hq.app.inject({ method: 'GET', url: `/v1/assets/${v.code}/qr?exp=${exp}` }), 400);
    expectProblem(await hq.app.inject({ method: 'GET', url: `/v1/assets/${v.code}/qr?exp=${exp}&sig=${sig}&format=gif` }), 400);
    // The label is text on the page, never markup.
    const page = await hq.app.inject({ method: 'GET', url: local(v.assets!.print_url) });
    expect(page.body).toContain('&#60;b&#62;Bold&#60;/b&#62;');
    expect((await hq.admin({ method: 'DELETE', url: `/v1/vouchers/${v.code}` })).statusCode).toBe(204);
    expectProblem(await hq.app.inject({ method: 'GET', url: local(v.assets!.qr_url) }), 404, { code: 'not_found' });
  });
});
