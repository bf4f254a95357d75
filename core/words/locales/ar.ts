// العربية: the checkout, payment and receipt (issue 16 asks at least these), and what a voucher gives.
// Sentences not here fall back to English. Arabic has six plural forms (zero, one, two, few, many, other).
import type { Catalog } from '../i18n';

export const AR: Catalog = {
  'Gift card, balance {{balance}} of {{amount}}': 'بطاقة هدية، الرصيد {{balance}} من {{amount}}',
  'Loyalty card, {{points}}': 'بطاقة ولاء، {{points}}',
  '{{amount}} off': 'خصم {{amount}}',
  '{{percent}} % off': 'خصم {{percent}}٪',
  '{{percent}} % off (at most {{limit}})': 'خصم {{percent}}٪ (بحد أقصى {{limit}})',
  'Pay {{amount}}': 'ادفع {{amount}}',
  '{{units}} free': '{{units}} مجانًا',
  '{{points}} points_zero': '{{points}} نقطة',
  '{{points}} points_one': 'نقطة واحدة',
  '{{points}} points_two': 'نقطتان',
  '{{points}} points_few': '{{points}} نقاط',
  '{{points}} points_many': '{{points}} نقطة',
  '{{points}} points_other': '{{points}} نقطة',
  'Gift card': 'بطاقة هدية',
  'Loyalty card': 'بطاقة ولاء',
  'Voucher': 'قسيمة',
};
