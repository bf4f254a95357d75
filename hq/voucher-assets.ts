// A voucher's printable assets (contract: "Voucher assets"): Code 128 and QR images of its code and a
// printable page, behind signed, expiring links, so a customer e-mail can embed them without a token.
//
// A link is `{base}/v1/assets/{code}/{kind}?exp={unix seconds}&sig={HMAC-SHA256(secret, kind, code,
// exp)}`: the signature binds the kind, the code and the expiry (changing any is `asset_link_invalid`,
// 403), and a link past its expiry is `asset_link_expired` (403). `format` (svg | png) is not signed: both
// are the same image. The secret is HQ_ASSET_SECRET, or one HQ generates and keeps in its database
// (shared by every HQ process). The base is HQ_PUBLIC_URL — set it in production: without it the
// links are built from the request's own Host header. The page uses core's print layout
// (core/words/voucher-print.ts), the till's too.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import bwipjs from 'bwip-js/node';
import QRCode from 'qrcode';
import type { Voucher } from '../core/voucher';
import { CODE128_OPTIONS, QR_OPTIONS, voucherPrint } from '../core/words/voucher-print';
import type { DisplayContext } from '../core/words/display-context';
import { rowsOf, type Db } from './db/connect';

export const ASSET_KINDS = ['barcode', 'qr', 'print'] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];
export type Assets = NonNullable<Voucher['assets']>;

export type AssetSigner = {
  /** The voucher's links, valid for the configured time from `nowMs`. */
  links(base: string, code: string, nowMs: number): Assets;
  check(kind: AssetKind, code: string, exp: string, sig: string, nowMs: number): 'ok' | 'invalid' | 'expired';
};

export function assetSigner(secret: Buffer, ttlDays: number): AssetSigner {
  const sign = (kind: AssetKind, code: string, exp: string) => createHmac('sha256', secret).update(`${kind}\n${code}\n${exp}`, 'utf8').digest('base64url');
  return {
    links(base, code, nowMs) {
      const exp = String(Math.floor(nowMs / 1000) + ttlDays * 86_400);
      const link = (kind: AssetKind) => `${base}/v1/assets/${encodeURIComponent(code)}/${kind}?exp=${exp}&sig=${sign(kind, code, exp)}`;
      return { barcode_url: link('barcode'), qr_url: link('qr'), print_url: link('print') };
    },
    check(kind, code, exp, sig, nowMs) {
      const want = Buffer.from(sign(kind, code, exp));
      const got = Buffer.from(sig);
      if (want.length !== got.length || !timingSafeEqual(want, got)) return 'invalid';
      return Number(exp) * 1000 < nowMs ? 'expired' : 'ok';
    },
  };
}

/** HQ_ASSET_SECRET, or the secret stored in the database (made once, by whichever HQ process is first). */
export async function resolveAssetSecret(db: Db, configured: string | undefined): Promise<Buffer> {
  if (configured) return Buffer.from(configured, 'utf8');
  await db.execute(sql`INSERT INTO settings (key, value) VALUES ('asset_secret', ${randomBytes(32).toString('base64url')}) ON CONFLICT (key) DO NOTHING`);
  const [row] = rowsOf<{ value: string }>(await db.execute(sql`SELECT value FROM settings WHERE key = 'asset_secret'`));
  return Buffer.from(row!.value, 'utf8');
}

export type Image = { type: 'image/svg+xml' | 'image/png'; body: string | Buffer };

export async function codeImage(kind: 'barcode' | 'qr', code: string, format: 'svg' | 'png'): Promise<Image> {
  if (kind === 'barcode') {
    return format === 'svg' ? { type: 'image/svg+xml', body: bwipjs.toSVG({ ...CODE128_OPTIONS, text: code }) } : { type: 'image/png', body: await bwipjs.toBuffer({ ...CODE128_OPTIONS, text: code }) };
  }
  return format === 'svg' ? { type: 'image/svg+xml', body: await QRCode.toString(code, { ...QR_OPTIONS, type: 'svg' }) } : { type: 'image/png', body: await QRCode.toBuffer(code, { ...QR_OPTIONS, type: 'png' }) };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const svgDataUrl = (svg: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

/** The printable page: core's print layout with both codes inline (the page loads nothing else). */
export async function printPage(voucher: Voucher, d: DisplayContext): Promise<string> {
  const print = voucherPrint(voucher, d);
  const [barcode, qr] = await Promise.all([codeImage('barcode', voucher.code, 'svg'), codeImage('qr', voucher.code, 'svg')]);
  return `<!doctype html>
<html lang="${escapeHtml(d.locale)}"><head><meta charset="utf-8"><title>${escapeHtml(print.title)} ${escapeHtml(print.code)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto}img{display:block;margin:1rem 0}.qr{width:10rem}@media print{body{margin:0}}</style></head>
<body><article><h1>${escapeHtml(print.title)}</h1><p><strong>${escapeHtml(print.headline)}</strong></p>
<ul>${print.lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>
<img src="${svgDataUrl(barcode.body as string)}" alt="Barcode ${escapeHtml(print.code)}"><img class="qr" src="${svgDataUrl(qr.body as string)}" alt="QR code ${escapeHtml(print.code)}">
<p>${escapeHtml(print.code)}</p></article></body></html>`;
}
