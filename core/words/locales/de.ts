// Deutsch: every sentence of the till, its receipts and printed vouchers (core/words/i18n.ts). A test
// (test/core/words-i18n.test.ts) fails on a key used in the code that is missing here.
import type { Catalog } from '../i18n';

export const DE: Catalog = {
  // core/words: what a voucher gives and asks for
  'Gift card, balance {{balance}} of {{amount}}': 'Geschenkkarte, Guthaben {{balance}} von {{amount}}',
  'Loyalty card, {{points}}': 'Kundenkarte, {{points}}',
  '{{amount}} off': '{{amount}} Rabatt',
  '{{percent}} % off': '{{percent}} % Rabatt',
  '{{percent}} % off (at most {{limit}})': '{{percent}} % Rabatt (höchstens {{limit}})',
  'Pay {{amount}}': 'Sie zahlen {{amount}}',
  '{{units}} free': '{{units}} gratis',
  '{{points}} points_one': '{{points}} Punkt',
  '{{points}} points_other': '{{points}} Punkte',
  'Switched off': 'Abgeschaltet',
  'Cancelled': 'Storniert',
  'Used up': 'Aufgebraucht',
  'Active': 'Aktiv',
  'Valid from {{date}}': 'Gültig ab {{date}}',
  'Valid until {{date}}': 'Gültig bis {{date}}',
  'Only on {{days}}': 'Nur am {{days}}',
  '{{days}}, {{from}}–{{until}}': '{{days}}, {{from}}–{{until}} Uhr',
  'Open {{duration}} in every {{interval}}': 'Jeweils {{duration}} in jedem Zeitraum von {{interval}}',
  'Minimum ticket {{amount}}': 'Mindestbetrag {{amount}}',
  'Only for {{product}}': 'Nur für {{product}}',
  'Only for customer {{customer}}': 'Nur für Kunde {{customer}}',
  'Unlimited uses': 'Beliebig oft einlösbar',
  'Used {{used}} of {{count}} times_one': '{{used}} von {{count}} Mal eingelöst',
  'Used {{used}} of {{count}} times_other': '{{used}} von {{count}} Mal eingelöst',
  'Needs head office to confirm': 'Braucht die Bestätigung der Zentrale',
  'Gift card': 'Geschenkkarte',
  'Loyalty card': 'Kundenkarte',
  'Voucher': 'Gutschein',
};
