// Prints one closing line for the whole `npm test` run — "tests: N passed, N failed, N skipped" —
// from the JSON reports of vitest and Playwright, so CI and people see one number for everything.
import { readFileSync, existsSync } from 'node:fs';

const totals = { passed: 0, failed: 0, skipped: 0 };
const vitest = '.data/test-results/vitest.json';
const playwright = '.data/test-results/playwright.json';

if (existsSync(vitest)) {
  const r = JSON.parse(readFileSync(vitest, 'utf8'));
  totals.passed += r.numPassedTests ?? 0;
  totals.failed += r.numFailedTests ?? 0;
  totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
}
if (existsSync(playwright)) {
  const s = JSON.parse(readFileSync(playwright, 'utf8')).stats ?? {};
  totals.passed += (s.expected ?? 0) + (s.flaky ?? 0);
  totals.failed += s.unexpected ?? 0;
  totals.skipped += s.skipped ?? 0;
}
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
if (totals.passed === 0 || totals.failed > 0) process.exit(1);
