// English: the keys are the English sentences, so this catalog holds only what a key alone cannot say —
// the plural forms (i18next's `_one` / `_other`).
import type { Catalog } from '../i18n';

export const EN: Catalog = {
  '{{points}} points_one': '{{points}} point',
  '{{points}} points_other': '{{points}} points',
  'Used {{used}} of {{count}} times_one': 'Used {{used}} of {{count}} time',
  'Used {{used}} of {{count}} times_other': 'Used {{used}} of {{count}} times',
};
