import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The back-office console, served by HQ at /admin/ (hq/routes/console.ts) from dist/backoffice.
export default defineConfig({
  root: 'backoffice',
  base: '/admin/',
  plugins: [react()],
  build: { outDir: '../dist/backoffice', emptyOutDir: true },
});
