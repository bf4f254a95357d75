import { describe, expect, it } from 'vitest';
import { applyChromiumSwitches, chromiumArgs } from '../../electron/chromium-switches';

describe('chromium switches', () => {
  it('gives a benchmark the same switches as command-line arguments', () => {
    expect(chromiumArgs()).toEqual(['--disable-features=DeferRendererTasksAfterInput']);
  });

  it('appends each switch once, with its value', () => {
    const calls: [string, string | undefined][] = [];
    applyChromiumSwitches({ appendSwitch: (name, value) => void calls.push([name, value]) });
    expect(calls).toEqual([['disable-features', 'DeferRendererTasksAfterInput']]);
    // One disable-features switch: a second appendSwitch of the same name would replace the first.
    expect(new Set(calls.map(([n]) => n)).size).toBe(calls.length);
  });
});
