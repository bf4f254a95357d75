// Renderer crashes reload the page; a crash loop is slowed down, never given up on.
import { expect, it } from 'vitest';
import { createCrashPolicy } from '../../electron/crash-recovery';

it('reloads at once for a few crashes, then spaces reloads out, then recovers', () => {
  let now = 0;
  const policy = createCrashPolicy({ burst: 3, windowMs: 60_000, backoffMs: 10_000, now: () => now });
  expect(policy('crashed')).toEqual({ action: 'reload', delayMs: 0 });
  expect(policy('oom')).toEqual({ action: 'reload', delayMs: 0 });
  expect(policy('killed')).toEqual({ action: 'reload', delayMs: 0 });
  expect(policy('crashed')).toEqual({ action: 'reload', delayMs: 10_000 });
  now += 61_000;
  expect(policy('crashed')).toEqual({ action: 'reload', delayMs: 0 });
});

it('a clean exit is not a crash', () => {
  const policy = createCrashPolicy({ burst: 3, windowMs: 60_000, backoffMs: 10_000, now: () => 0 });
  expect(policy('clean-exit')).toEqual({ action: 'ignore' });
});
