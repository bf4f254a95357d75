// English: the keys are the English sentences, so this catalog holds only what a key alone cannot say —
// the plural forms (i18next's `_one` / `_other`).
import type { Catalog } from '../i18n';

export const EN: Catalog = {
  '{{points}} points_one': '{{points}} point',
  '{{points}} points_other': '{{points}} points',
  'Used {{used}} of {{count}} times_one': 'Used {{used}} of {{count}} time',
  'Used {{used}} of {{count}} times_other': 'Used {{used}} of {{count}} times',
  // plural forms
  '{{count}} vouchers given back._one': '{{count}} voucher given back.',
  '{{count}} vouchers given back._other': '{{count}} vouchers given back.',
  '{{count}} redemptions rolled back._one': '{{count}} redemption rolled back.',
  '{{count}} redemptions rolled back._other': '{{count}} redemptions rolled back.',
  '{{count}} lines, total {{total}}; vouchers: {{vouchers}}_one': '{{count}} line, total {{total}}; vouchers: {{vouchers}}',
  '{{count}} lines, total {{total}}; vouchers: {{vouchers}}_other': '{{count}} lines, total {{total}}; vouchers: {{vouchers}}',
  '{{count}} gift-card numbers left at this till._one': '{{count}} gift-card number left at this till.',
  '{{count}} gift-card numbers left at this till._other': '{{count}} gift-card numbers left at this till.',
  '{{count}} conflicts_one': '{{count}} conflict',
  '{{count}} conflicts_other': '{{count}} conflicts',
  '{{count}} sales are not at head office yet. Reconnect and sync before unpairing._one': '{{count}} sale is not at head office yet. Reconnect and sync before unpairing.',
  '{{count}} sales are not at head office yet. Reconnect and sync before unpairing._other': '{{count}} sales are not at head office yet. Reconnect and sync before unpairing.',
  'This device still holds {{count}} changes from sales that head office has not received, made as till {{tills}}. Pair it as that till again — with its token or a new pairing code for it — and they are sent; then it can be paired as another till._one': 'This device still holds {{count}} change from sales that head office has not received, made as till {{tills}}. Pair it as that till again — with its token or a new pairing code for it — and they are sent; then it can be paired as another till.',
  'This device still holds {{count}} changes from sales that head office has not received, made as till {{tills}}. Pair it as that till again — with its token or a new pairing code for it — and they are sent; then it can be paired as another till._other': 'This device still holds {{count}} changes from sales that head office has not received, made as till {{tills}}. Pair it as that till again — with its token or a new pairing code for it — and they are sent; then it can be paired as another till.',
  'This device still holds {{count}} changes from sales that head office has not received, made under an earlier pairing that did not record its till. Pair it again with the token it was paired with, and they are sent; then it can be paired as another till._one': 'This device still holds {{count}} change from sales that head office has not received, made under an earlier pairing that did not record its till. Pair it again with the token it was paired with, and they are sent; then it can be paired as another till.',
  'This device still holds {{count}} changes from sales that head office has not received, made under an earlier pairing that did not record its till. Pair it again with the token it was paired with, and they are sent; then it can be paired as another till._other': 'This device still holds {{count}} changes from sales that head office has not received, made under an earlier pairing that did not record its till. Pair it again with the token it was paired with, and they are sent; then it can be paired as another till.',
  'A ticket can take at most {{count}} gift cards._one': 'A ticket can take at most {{count}} gift card.',
  'A ticket can take at most {{count}} gift cards._other': 'A ticket can take at most {{count}} gift cards.',
  'A ticket can take at most {{count}} discount vouchers._one': 'A ticket can take at most {{count}} discount voucher.',
  'A ticket can take at most {{count}} discount vouchers._other': 'A ticket can take at most {{count}} discount vouchers.',
  '{{n}} vouchers_one': '{{n}} voucher',
  '{{n}} vouchers_other': '{{n}} vouchers',
  '{{n}} products_one': '{{n}} product',
  '{{n}} products_other': '{{n}} products',
  '{{n}} customers_one': '{{n}} customer',
  '{{n}} customers_other': '{{n}} customers',
};
