// Quitting waits for the renderer to finish an in-flight sync push (TillShellApi.onQuitRequested),
// but never forever: after `timeoutMs` the shell quits anyway — the outbox is durable, so an
// unfinished push is re-sent on the next start; waiting only avoids a needless replay.
export type Timers = {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

export type QuitGuardOptions = {
  /** Ask the renderer to finish; resolves when it has (or immediately when there is no renderer). */
  drain: () => Promise<void>;
  /** Really quit (main: app.quit() after the guard allows it). */
  quit: () => void;
  timeoutMs: number;
  timers: Timers;
  log: (message: string) => void;
};

export type QuitGuard = {
  /**
   * Call from every quit path (app 'before-quit', the till window's 'close'). Returns true when the
   * caller must preventDefault() because the guard is still draining.
   */
  shouldHold(): boolean;
  readonly state: 'running' | 'draining' | 'released';
};

export function createQuitGuard(options: QuitGuardOptions): QuitGuard {
  let state: 'running' | 'draining' | 'released' = 'running';

  function release(why: string) {
    if (state === 'released') return;
    state = 'released';
    options.log(`quit: ${why}`);
    options.quit();
  }

  return {
    get state() {
      return state;
    },
    shouldHold() {
      if (state === 'released') return false;
      if (state === 'draining') return true;
      state = 'draining';
      const timer = options.timers.setTimeout(() => release(`renderer did not finish within ${options.timeoutMs} ms; quitting anyway`), options.timeoutMs);
      options.drain().then(
        () => {
          options.timers.clearTimeout(timer);
          release('renderer finished');
        },
        (e: unknown) => {
          options.timers.clearTimeout(timer);
          release(`renderer failed to finish (${e instanceof Error ? e.message : String(e)}); quitting`);
        },
      );
      return true;
    },
  };
}
