import { defineConfig } from '@playwright/test';

// Browser tests run on Debian's Chromium (apt-get install -y chromium), never a downloaded build.
// CHROMIUM_PATH overrides the location for machines that keep it elsewhere.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const port = Number(process.env.E2E_PORT ?? 5174);

export default defineConfig({
  testDir: 'test/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  reporter: [['list'], ['json', { outputFile: '.data/test-results/playwright.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    headless: true,
    launchOptions: {
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  webServer: {
    // The built till, as Electron and a deployment serve it (a dev server re-bundles mid-test); and the
    // built back-office console, which each test's HQ serves at /admin/ from dist/backoffice.
    command: `npx vite build --logLevel warn && npm run build:backoffice --silent && npx vite preview --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
