// Entry point of the cashier UI. The checkout screens arrive with the till UI issue; until then this
// page proves the toolchain end to end: React renders, and the shared core runs in the browser.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
