// The back office in German: each English sentence of the console (the key) and its German. The
// till's own catalog (core/words/locales/de.ts) is underneath, so a voucher in words, refusals and
// HQ's problem codes read the same here as at the till.
export const BACKOFFICE_DE: Readonly<Record<string, string>> = {
};
