// When the till page's renderer process dies (crash, OOM, killed) the window is reloaded: the sale in
// progress is in IndexedDB, so a reload resumes it. A page that crashes on load would otherwise spin
// a CPU at the counter, so after a few quick reloads the next ones are spaced out — never given up.
export type CrashPolicyOptions = { burst: number; windowMs: number; backoffMs: number; now: () => number };

export type CrashDecision = { action: 'ignore' } | { action: 'reload'; delayMs: number };

export function createCrashPolicy(options: CrashPolicyOptions) {
  let recent: number[] = [];
  return function onRenderProcessGone(reason: string): CrashDecision {
    // clean-exit is the window closing normally, not a crash.
    if (reason === 'clean-exit') return { action: 'ignore' };
    const now = options.now();
    recent = [...recent.filter((t) => now - t < options.windowMs), now];
    return { action: 'reload', delayMs: recent.length <= options.burst ? 0 : options.backoffMs };
  };
}
