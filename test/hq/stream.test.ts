// GET /v1/sync/stream over a real socket on 127.0.0.1: `id:` on every changes event, Last-Event-ID on
// reconnect, the heartbeat, and a reader that stopped reading is cut off instead of growing HQ's memory.
import net, { type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../hq/db/connect';
import { buildServer } from '../../hq/server';
import { hashToken } from '../../hq/auth';
import { createChangeBus } from '../../hq/change-bus';
import { HEARTBEAT_MS, STREAM_MAX_BUFFERED } from '../../hq/change-stream';
import { readChangeStream, type StreamEvent } from '../../sync/engine/event-stream';
import { StreamPageSchema } from '../../sync/protocol';
import { ADMIN_TOKEN, BACKENDS, startHq, type Hq } from '../../testkit/hq-harness';
import { createVoucher, discountBody, ownPostgresDatabase, TestTill } from './helpers';
import { openStream, type SseEvent } from './sse-stream';

const changes = (b: SseEvent) => b.event === 'changes';
/** An event that moves the till on: an announcement or a page (both carry their checkpoint as id:). */
const news = (b: SseEvent) => b.event === 'changes' || b.event === 'page';
const checkpointOf = (b: SseEvent) => (JSON.parse(b.data!) as { checkpoint: string }).checkpoint;

describe.each(BACKENDS)('change stream on %s', (backend) => {
  let hq: Hq;
  let base: string;
  let till: TestTill;
  beforeAll(async () => {
    hq = await startHq(backend);
    till = await TestTill.create(hq, 'Stream');
    await hq.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(hq.app.server.address() as AddressInfo).port}`;
  }, 60_000);
  afterAll(async () => hq?.close());
  afterEach(() => {
    vi.useRealTimers();
  });

  it('every event carries its checkpoint as id:; a stream that has the checkpoint gets the next change as a page', async () => {
    await createVoucher(hq, discountBody());
    const latest = hq.ctx.bus.latest;
    const stream = await openStream(base, till.token);
    try {
      const first = await stream.next(changes); // no Last-Event-ID: the current checkpoint at once
      expect(first).toMatchObject({ id: String(latest), event: 'changes', data: JSON.stringify({ checkpoint: String(latest) }) });
      const made = await createVoucher(hq, discountBody());
      const next = await stream.next((b) => news(b) && Number(b.id) > latest);
      expect(next.event).toBe('page');
      expect(next.id).toBe(checkpointOf(next));
      expect(Number(next.id)).toBe(hq.ctx.bus.latest);
      const page = StreamPageSchema.parse(JSON.parse(next.data!));
      expect(page).toMatchObject({ since: String(latest), has_more: false, deleted: [] });
      expect(page).not.toHaveProperty('last_seq');
      expect(page.vouchers.map((v) => v.code)).toEqual([made.code]);
      // The page is what a pull from the same checkpoint answers (but for the till's own last_seq).
      const pulled = await till.pull(latest);
      expect({ ...page, since: undefined, latest_checkpoint: undefined }).toEqual({ ...pulled, last_seq: undefined, since: undefined, latest_checkpoint: undefined });
      expect(stream.blocks.filter(news).every((b) => b.id === checkpointOf(b))).toBe(true);
    } finally {
      stream.close();
    }
  });

  it('Last-Event-ID: nothing at once when the till knows the current checkpoint, the current one at once when it is newer', async () => {
    await createVoucher(hq, discountBody());
    const latest = hq.ctx.bus.latest;
    const upToDate = await openStream(base, till.token, { 'last-event-id': String(latest) });
    const behind = await openStream(base, till.token, { 'last-event-id': String(latest - 1) });
    const garbage = await openStream(base, till.token, { 'last-event-id': 'not-a-checkpoint' });
    try {
      expect((await behind.next(changes)).id).toBe(String(latest));
      expect((await garbage.next(changes)).id).toBe(String(latest)); // as if absent
      // The up-to-date stream hears nothing until there is something new: its first event is the next change.
      await createVoucher(hq, discountBody());
      const first = await upToDate.next(news);
      expect(Number(first.id)).toBeGreaterThan(latest);
      expect(upToDate.blocks.filter(news)).toHaveLength(1);
    } finally {
      upToDate.close();
      behind.close();
      garbage.close();
    }
  });

  it("the till's reader sends Last-Event-ID (its checkpoint) and hears only what is newer", async () => {
    await createVoucher(hq, discountBody());
    const latest = String(hq.ctx.bus.latest);
    /** Checkpoints a reader heard, and a promise of the first. */
    const listener = () => {
      const heard: string[] = [];
      let first!: (cp: string) => void;
      const firstHeard = new Promise<string>((r) => (first = r));
      return { heard, firstHeard, on: ({ checkpoint: cp }: StreamEvent) => void (heard.push(cp) === 1 && first(cp)) };
    };
    const [upToDate, behind] = [listener(), listener()];
    const abort = new AbortController();
    const fetchFn = (input: string, init?: RequestInit) => fetch(input, init);
    const done = [
      readChangeStream(fetchFn, base, till.token, abort.signal, upToDate.on, latest).catch(() => {}),
      readChangeStream(fetchFn, base, till.token, abort.signal, behind.on, '0').catch(() => {}),
    ];
    try {
      expect(await behind.firstHeard).toBe(latest);
      await createVoucher(hq, discountBody());
      // Had HQ sent the checkpoint the reader knew, that would be the first it heard.
      expect(await upToDate.firstHeard).toBe(String(hq.ctx.bus.latest));
      expect(Number(upToDate.heard[0])).toBeGreaterThan(Number(latest));
    } finally {
      abort.abort();
      await Promise.all(done);
    }
  });

  it(`a comment line every ${HEARTBEAT_MS / 1000} s keeps an idle stream open (at most 30 s)`, async () => {
    expect(HEARTBEAT_MS).toBeLessThanOrEqual(30_000);
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const stream = await openStream(base, till.token, { 'last-event-id': String(hq.ctx.bus.latest) });
    try {
      await stream.next((b) => b.data === undefined && b.comment === undefined); // the `retry:` block: the stream is open
      expect(stream.blocks.some((b) => b.comment === 'keep-alive')).toBe(false);
      vi.advanceTimersByTime(HEARTBEAT_MS);
      await stream.next((b) => b.comment === 'keep-alive');
      vi.advanceTimersByTime(HEARTBEAT_MS);
      await stream.next((b) => stream.blocks.filter((x) => x.comment === 'keep-alive').length === 2 && b.comment === 'keep-alive');
    } finally {
      stream.close();
    }
  });

  it('streams close when HQ closes (and are refused to the admin and without a token)', async () => {
    expect((await fetch(`${base}/v1/sync/stream`)).status).toBe(401);
    expect((await fetch(`${base}/v1/sync/stream`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(403);
  });
});

describe.each(BACKENDS)('a change stream whose reader stopped reading, on %s', (backend) => {
  it(`is ended once more than ${STREAM_MAX_BUFFERED / 1024} KiB wait unsent in HQ, instead of growing HQ's memory`, async () => {
    const own = backend === 'postgres' ? await ownPostgresDatabase() : undefined;
    const database = await openDatabase(own ? { url: own.url } : {});
    // No announcement window and no pages (maxGroups 0): every announcement is an event of its own,
    // written without a database read, so announcements fill the socket quickly.
    const bus = createChangeBus({ windowMs: 0 });
    const { app } = await buildServer({ database, adminHash: hashToken(ADMIN_TOKEN), bus, stream: { maxGroups: 0 } });
    const socket = new net.Socket();
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const registered = await app.inject({ method: 'POST', url: '/v1/tills', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { name: 'Dead', time_zone: 'UTC' } });
      expect(registered.statusCode).toBe(201);
      const { token } = registered.json() as { token: string };
      const { port } = app.server.address() as AddressInfo;
      await new Promise<void>((resolve, reject) => socket.once('error', reject).connect(port, '127.0.0.1', resolve));
      socket.write(`GET /v1/sync/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nAccept: text/event-stream\r\n\r\n`);
      const head = await new Promise<string>((resolve) => {
        let text = '';
        const onData = (chunk: Buffer) => {
          text += chunk.toString('latin1');
          if (text.includes('retry: 2000\n\n')) {
            socket.off('data', onData);
            socket.pause(); // from here on the till reads nothing
            resolve(text);
          }
        };
        socket.on('data', onData);
      });
      expect(head).toMatch(/^HTTP\/1\.1 200/);
      const connections = () => new Promise<number>((resolve, reject) => app.server.getConnections((error, n) => (error ? reject(error) : resolve(n))));
      expect(await connections()).toBe(1);

      // Announce until HQ gives up on the stream; bounded: 1,000,000 announcements (~60 MB, many times
      // what the kernel's socket buffers hold). One fan-out runs at a time, so each announcement is
      // given the turn its fan-out needs to write.
      let checkpoint = 1;
      let bursts = 0;
      for (; bursts < 1000 && (await connections()) > 0; bursts++) {
        for (let i = 0; i < 1000; i++) {
          bus.announce(checkpoint++);
          await new Promise((r) => setImmediate(r));
        }
      }
      expect(await connections()).toBe(0);
      expect(bursts).toBeLessThan(1000);
    } finally {
      socket.destroy();
      await app.close();
      await bus.close();
      await database.close();
      await own?.drop();
    }
  }, 60_000);
});
