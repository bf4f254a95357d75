import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    reporters: ['default', ['json', { outputFile: '.data/test-results/vitest.json' }]],
  },
});
