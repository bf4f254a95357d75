// Playwright configuration for the Electron end-to-end suite only (app.spec.ts). Kept apart from the
// browser suite's config: it needs no web server and no Chromium, only the Electron binary — and
// when that is missing every test is skipped with the reason.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  timeout: 120_000,
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  reporter: [['list'], ['json', { outputFile: '../../.data/test-results/playwright-electron.json' }]],
});
