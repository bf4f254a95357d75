// Prints one closing line for the whole `npm test` run — "tests: N passed, N failed, N skipped" —
// from the JSON reports of vitest and the Playwright suites (browser, Electron), so CI and people see
// one number for everything. Every skipped test is listed with its reason: a skip must say why.
import { readFileSync, existsSync } from 'node:fs';

const totals = { passed: 0, failed: 0, skipped: 0 };
const skips = [];
const vitest = '.data/test-results/vitest.json';
const playwrightReports = ['.data/test-results/playwright.json', '.data/test-results/playwright-electron.json'];

if (existsSync(vitest)) {
  const r = JSON.parse(readFileSync(vitest, 'utf8'));
  totals.passed += r.numPassedTests ?? 0;
  totals.failed += r.numFailedTests ?? 0;
  totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  for (const file of r.testResults ?? []) {
    for (const t of file.assertionResults ?? []) {
      if (t.status !== 'pending' && t.status !== 'skipped' && t.status !== 'todo') continue;
      // vitest's skipIf carries no reason: a skipped test ends its name with it, in parentheses.
      const named = /^(.*) \(([^()]*)\)$/.exec(t.fullName);
      skips.push(named ? `${named[1]}: ${named[2]}` : `${t.fullName}: no reason given in its name`);
    }
  }
}

function collectSkips(suite, path = []) {
  for (const spec of suite.specs ?? []) {
    for (const test of spec.tests ?? []) {
      if (test.status !== 'skipped') continue;
      const reason = (test.annotations ?? []).find((a) => a.type === 'skip')?.description ?? 'no reason given';
      skips.push(`${[...path, spec.title].join(' › ')}: ${reason}`);
    }
  }
  for (const child of suite.suites ?? []) collectSkips(child, [...path, child.title]);
}

for (const report of playwrightReports) {
  if (!existsSync(report)) continue;
  const json = JSON.parse(readFileSync(report, 'utf8'));
  const s = json.stats ?? {};
  totals.passed += (s.expected ?? 0) + (s.flaky ?? 0);
  totals.failed += s.unexpected ?? 0;
  totals.skipped += s.skipped ?? 0;
  for (const suite of json.suites ?? []) collectSkips(suite);
}
if (skips.length) {
  // Grouped by reason: ten Electron tests skipped for one missing binary is one line, not ten.
  const byReason = new Map();
  for (const line of skips) {
    const [title, ...rest] = line.split(': ');
    const reason = rest.join(': ');
    byReason.set(reason, [...(byReason.get(reason) ?? []), title]);
  }
  console.log('skipped tests and why:');
  for (const [reason, titles] of byReason) console.log(`  - ${titles.length} test(s) — ${reason}\n      ${titles.join('\n      ')}`);
}
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
if (totals.passed === 0 || totals.failed > 0) process.exit(1);
