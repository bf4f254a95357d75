// English: the keys are the English sentences, so this catalog holds only what a key alone cannot say —
// the plural forms (i18next's `_one` / `_other`).
import type { Catalog } from '../i18n';

export const EN: Catalog = {
  '{{points}} points_one': '{{points}} point',
  '{{points}} points_other': '{{points}} points',
  'Used {{used}} of {{count}} times_one': 'Used {{used}} of {{count, number}} time',
  'Used {{used}} of {{count}} times_other': 'Used {{used}} of {{count, number}} times',
  // plural forms
  '{{count}} vouchers given back._one': '{{count, number}} voucher given back.',
  '{{count}} vouchers given back._other': '{{count, number}} vouchers given back.',
  '{{count}} redemptions rolled back._one': '{{count, number}} redemption rolled back.',
  '{{count}} redemptions rolled back._other': '{{count, number}} redemptions rolled back.',
  '{{count}} lines, total {{total}}; vouchers: {{vouchers}}_one': '{{count, number}} line, total {{total}}; vouchers: {{vouchers}}',
  '{{count}} lines, total {{total}}; vouchers: {{vouchers}}_other': '{{count, number}} lines, total {{total}}; vouchers: {{vouchers}}',
  '{{count}} gift-card numbers left at this till._one': '{{count, number}} gift-card number left at this till.',
  '{{count}} gift-card numbers left at this till._other': '{{count, number}} gift-card numbers left at this till.',
  '{{count}} conflicts_one': '{{count, number}} conflict',
  '{{count}} conflicts_other': '{{count, number}} conflicts',
  '{{count}} sales are not at head office yet. Reconnect and sync before unpairing._one': '{{count, number}} sale is not at head office yet. Reconnect and sync before unpairing.',
  '{{count}} sales are not at head office yet. Reconnect and sync before unpairing._other': '{{count, number}} sales are not at head office yet. Reconnect and sync before unpairing.',
  'This device still holds {{count}} changes from sales that head office has not received, made as till {{tills}}. Pair it as that till again — with its token or a new pairing code for it — and they are sent; then it can be paired as another till._one': 'This device still holds {{count, number}} change from sales that head office has not received, made as till {{tills}}. Pair it as that till again — with its token or a new pairing code for it — and they are sent; then it can be paired as another till.',
  'This device still holds {{count}} changes from sales that head office has not received, made as till {{tills}}. Pair it as that till again — with its token or a new pairing code for it — and they are sent; then it can be paired as another till._other': 'This device still holds {{count, number}} changes from sales that head office has not received, made as till {{tills}}. Pair it as that till again — with its token or a new pairing code for it — and they are sent; then it can be paired as another till.',
  'This device still holds {{count}} changes from sales that head office has not received, made under an earlier pairing that did not record its till. Pair it again with the token it was paired with, and they are sent; then it can be paired as another till._one': 'This device still holds {{count, number}} change from sales that head office has not received, made under an earlier pairing that did not record its till. Pair it again with the token it was paired with, and they are sent; then it can be paired as another till.',
  'This device still holds {{count}} changes from sales that head office has not received, made under an earlier pairing that did not record its till. Pair it again with the token it was paired with, and they are sent; then it can be paired as another till._other': 'This device still holds {{count, number}} changes from sales that head office has not received, made under an earlier pairing that did not record its till. Pair it again with the token it was paired with, and they are sent; then it can be paired as another till.',
  'A ticket can take at most {{count}} gift cards._one': 'A ticket can take at most {{count, number}} gift card.',
  'A ticket can take at most {{count}} gift cards._other': 'A ticket can take at most {{count, number}} gift cards.',
  'A ticket can take at most {{count}} discount vouchers._one': 'A ticket can take at most {{count, number}} discount voucher.',
  'A ticket can take at most {{count}} discount vouchers._other': 'A ticket can take at most {{count, number}} discount vouchers.',
  '{{n}} vouchers_one': '{{n}} voucher',
  '{{n}} vouchers_other': '{{n}} vouchers',
  '{{n}} products_one': '{{n}} product',
  '{{n}} products_other': '{{n}} products',
  '{{n}} customers_one': '{{n}} customer',
  '{{n}} customers_other': '{{n}} customers',
};
