// English needs a catalog only for plural forms (the keys are the English sentences themselves).
export const BACKOFFICE_EN: Readonly<Record<string, string>> = {
  '{{count}} points_one': '{{count, number}} point',
  '{{count}} points_other': '{{count, number}} points',
  // the voucher form (pages/VoucherForm.tsx, voucher-draft.ts)
  'Generate {{count}} codes_one': 'Generate {{count, number}} code',
  'Generate {{count}} codes_other': 'Generate {{count, number}} codes',
  'Download the {{count}} codes (CSV)_one': 'Download the {{count, number}} code (CSV)',
  'Download the {{count}} codes (CSV)_other': 'Download the {{count, number}} codes (CSV)',
  // vouchers, a voucher's page, imports (pages/Vouchers.tsx, VoucherPage.tsx, Imports.tsx, import-csv.ts)
  '{{count}} vouchers_one': '{{count, number}} voucher',
  '{{count}} vouchers_other': '{{count, number}} vouchers',
  '{{name}}: {{count}} vouchers_one': '{{name}}: {{count, number}} voucher',
  '{{name}}: {{count}} vouchers_other': '{{name}}: {{count, number}} vouchers',
  'Too many fields: expected {{count}} fields but parsed {{parsed}}_one': 'Too many fields: expected {{count, number}} field but parsed {{parsed}}',
  'Too many fields: expected {{count}} fields but parsed {{parsed}}_other': 'Too many fields: expected {{count, number}} fields but parsed {{parsed}}',
  'Too few fields: expected {{count}} fields but parsed {{parsed}}_one': 'Too few fields: expected {{count, number}} field but parsed {{parsed}}',
  'Too few fields: expected {{count}} fields but parsed {{parsed}}_other': 'Too few fields: expected {{count, number}} fields but parsed {{parsed}}',
  // tills, people, API keys, the audit log, your account (pages/Tills.tsx, Users.tsx, ApiKeys.tsx, AuditLog.tsx, Account.tsx, ui/roles.ts, ui/scopes.ts)
  '{{count}} tills_one': '{{count, number}} till',
  '{{count}} tills_other': '{{count, number}} tills',
};
