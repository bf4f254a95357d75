// Chromium switches the till's window runs with. Set in main.ts before 'ready' (Chromium reads them
// at start-up) and passed to the browser by bench:ui, so the benchmark measures what the shell ships.
//
// DeferRendererTasksAfterInput: after a trusted key or click that needs a new frame (the entry field
// clearing for the next scan is one), Chromium holds back every ordinary task of the page (timers,
// messages, IndexedDB results) until that frame has been drawn, so a web page's visual answer to the
// input comes first. At a till the answer *is* an IndexedDB result: the
// scan's Enter starts a replica read, and with the deferral that read's result waits for a frame that
// has nothing new to show, then for a second frame to show it — up to one whole frame (16.7 ms at
// 60 Hz) added to every scan. Measured with bench:ui (bench/RESULTS.md, 1M-voucher replica): a voucher
// read started by a real key press that changes the screen answered after p50 5.1 / p95 17.4 ms with
// the deferral and p50 3.0 / p95 5.1 ms without it.
// Turning it off costs nothing the cashier sees: the till runs no other page work that could delay
// the frame a key press asks for.

/** [switch, value] pairs for app.commandLine.appendSwitch. */
export const CHROMIUM_SWITCHES: readonly (readonly [name: string, value: string])[] = [['disable-features', 'DeferRendererTasksAfterInput']];

/** The same switches as command-line arguments, for a Chromium started by a test or a benchmark. */
export function chromiumArgs(): string[] {
  return CHROMIUM_SWITCHES.map(([name, value]) => `--${name}=${value}`);
}

export type CommandLineLike = { appendSwitch(name: string, value?: string): void };

export function applyChromiumSwitches(commandLine: CommandLineLike): void {
  for (const [name, value] of CHROMIUM_SWITCHES) commandLine.appendSwitch(name, value);
}
