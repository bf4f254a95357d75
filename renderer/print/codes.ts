// Barcodes and QR codes as SVG data URLs: the same image on screen and in a printed document, and an
// <img> cannot run anything whatever the text encoded in it.
import { toSVG } from 'bwip-js/browser';
import QRCode from 'qrcode';
import { CODE128_OPTIONS, QR_OPTIONS } from '../../core/words/voucher-print';

function dataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

export function code128DataUrl(text: string): string {
  return dataUrl(toSVG({ ...CODE128_OPTIONS, text }));
}

export async function qrDataUrl(text: string): Promise<string> {
  return dataUrl(await QRCode.toString(text, { ...QR_OPTIONS, type: 'svg' }));
}

/** What a receipt's QR code holds: enough to find and check the ticket (refunds scan it too). */
export function receiptQrPayload(ticket: { id: string; completed_at: string; evaluation: { total_after_discounts: number } }, currency: string): string {
  return `VT1;${ticket.id};${ticket.evaluation.total_after_discounts};${currency};${ticket.completed_at}`;
}
