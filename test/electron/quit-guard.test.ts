// Quitting waits for the renderer, bounded, with a fake clock: no real time passes in these tests.
import { describe, expect, it, vi } from 'vitest';
import { createQuitGuard } from '../../electron/quit-guard';

function fakeTimers() {
  const pending = new Map<number, () => void>();
  let next = 1;
  return {
    setTimeout: (fn: () => void) => {
      pending.set(next, fn);
      return next++;
    },
    clearTimeout: (handle: unknown) => void pending.delete(handle as number),
    fireAll: () => [...pending.values()].forEach((fn) => fn()),
    get size() {
      return pending.size;
    },
  };
}

function deferred() {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function setup() {
  const timers = fakeTimers();
  const drain = deferred();
  const quit = vi.fn();
  const drainFn = vi.fn(() => drain.promise);
  const guard = createQuitGuard({ drain: drainFn, quit, timeoutMs: 10_000, timers, log: () => {} });
  return { timers, drain, quit, drainFn, guard };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('quit guard', () => {
  it('holds the first quit, asks the renderer once, and quits when it has finished', async () => {
    const { guard, drain, quit, drainFn, timers } = setup();
    expect(guard.shouldHold()).toBe(true);
    expect(guard.shouldHold()).toBe(true); // the window 'close' after 'before-quit'
    expect(drainFn).toHaveBeenCalledOnce();
    expect(quit).not.toHaveBeenCalled();
    drain.resolve();
    await flush();
    expect(quit).toHaveBeenCalledOnce();
    expect(timers.size).toBe(0);
    expect(guard.shouldHold()).toBe(false); // the real quit goes through
  });

  it('quits anyway when the renderer never answers (the bound)', async () => {
    const { guard, quit, timers } = setup();
    guard.shouldHold();
    timers.fireAll();
    expect(quit).toHaveBeenCalledOnce();
    expect(guard.state).toBe('released');
  });

  it('quits when the renderer\'s handler fails', async () => {
    const { guard, drain, quit } = setup();
    guard.shouldHold();
    drain.reject(new Error('push failed'));
    await flush();
    expect(quit).toHaveBeenCalledOnce();
  });

  it('quits only once when the answer arrives after the timeout', async () => {
    const { guard, drain, quit, timers } = setup();
    guard.shouldHold();
    timers.fireAll();
    drain.resolve();
    await flush();
    expect(quit).toHaveBeenCalledOnce();
  });
});
