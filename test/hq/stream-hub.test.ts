// The stream hub's pacing (hq/change-stream.ts): writing to every stream is what grows with the
// fleet, so after a fan-out that wrote for w ms the next one waits w × (1 / writeShare − 1) ms, and
// what was announced meanwhile goes out then, newest checkpoint only. Unit level: fake sockets, a fake
// bus and an injected clock for the write time; fake timers for the pause.
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createStreamHub } from '../../hq/change-stream';
import type { ChangePages } from '../../hq/change-pages';

/** Enough of a ServerResponse for the hub: what was written, never full. */
function fakeResponse() {
  const res = Object.assign(new EventEmitter(), {
    written: [] as string[],
    destroyed: false,
    writableEnded: false,
    writableLength: 0,
    write(bytes: string | Buffer) {
      res.written.push(String(bytes));
      return true;
    },
    end() {
      res.writableEnded = true;
    },
    destroy() {
      res.destroyed = true;
    },
  });
  return res;
}

function fakeBus() {
  let listener: (checkpoint: number) => void = () => {};
  const bus = {
    latest: 1,
    subscribe(l: (checkpoint: number) => void) {
      listener = l;
      return () => {};
    },
    /** What the change bus does when its window ends: `latest` first, then the subscribers. */
    emit(checkpoint: number) {
      bus.latest = checkpoint;
      listener(checkpoint);
    },
  };
  return bus;
}

const announced = (res: ReturnType<typeof fakeResponse>) => res.written.filter((w) => w.includes('event: changes')).map((w) => Number(/^id: (\d+)/.exec(w)![1]));

describe('stream hub pacing', () => {
  afterEach(() => void vi.useRealTimers());

  it('after a fan-out that wrote for w ms the next waits 3w ms (a quarter of the time writing), then sends only the newest checkpoint', async () => {
    vi.useFakeTimers();
    const bus = fakeBus();
    let clock = 0;
    // Every reading of the clock moves it 40 ms: a fan-out's writing (two readings) "takes" 40 ms.
    const now = () => (clock += 40);
    // maxGroups 0: announcements only, so no page is read (the pages are never asked for).
    const pages = { page: () => Promise.reject(new Error('no page expected')) } as unknown as ChangePages;
    const hub = createStreamHub(pages, bus, { maxGroups: 0, writeShare: 0.25, now, heartbeatMs: 3_600_000 });
    const streams = [fakeResponse(), fakeResponse(), fakeResponse()];
    for (const res of streams) hub.open(res as unknown as ServerResponse, 1);

    bus.emit(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(streams.map(announced)).toEqual([[2], [2], [2]]);
    bus.emit(3);
    bus.emit(4); // both within the pause: one fan-out of the newest
    await vi.advanceTimersByTimeAsync(119); // 3 × 40 ms = 120 ms pause
    expect(streams.map(announced)).toEqual([[2], [2], [2]]);
    await vi.advanceTimersByTimeAsync(1);
    expect(streams.map(announced)).toEqual([[2, 4], [2, 4], [2, 4]]);
    expect(hub.stats).toMatchObject({ fanouts: 2, changesEvents: 6, pageReads: 0 });
    hub.close();
  });

  it('a fan-out that wrote for no measurable time does not pause: the next change goes out at once', async () => {
    vi.useFakeTimers();
    const bus = fakeBus();
    const pages = { page: () => Promise.reject(new Error('no page expected')) } as unknown as ChangePages;
    const hub = createStreamHub(pages, bus, { maxGroups: 0, now: () => 0, heartbeatMs: 3_600_000 });
    const res = fakeResponse();
    hub.open(res as unknown as ServerResponse, 1);
    bus.emit(2);
    await vi.advanceTimersByTimeAsync(0);
    bus.emit(3);
    await vi.advanceTimersByTimeAsync(0);
    expect(announced(res)).toEqual([2, 3]);
    hub.close();
  });
});
