// A completed ticket's id as scanned from its receipt: the Code 128 holds the bare id, the QR code a
// "VT1;<id>;…" line (print/codes.ts). Either finds the ticket.
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

export function ticketIdIn(raw: string): string | null {
  const text = raw.trim();
  if (!(UUID.test(text) && (text.length === 36 || text.startsWith('VT1;')))) return null;
  return UUID.exec(text)![0].toLowerCase();
}
