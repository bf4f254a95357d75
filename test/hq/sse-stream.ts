// An SSE stream read in tests over a real socket: GET /v1/sync/stream on a listening HQ, every block
// parsed as it comes, waits for a block that matches (bounded, never a sleep deciding the outcome).
import http from 'node:http';
import { expect } from 'vitest';

/** One SSE block as it came (`raw`: its exact text, for comparing bytes) and its fields. */
export type SseEvent = { raw: string; id?: string; event?: string; data?: string; comment?: string };

/**
 * A stream read over its own connection (node:http, no agent): every block parsed as it comes, and a
 * wait for one that matches. close() destroys the socket, so HQ drops the stream at once (a fetch
 * aborted mid-body left its connection open for seconds).
 */
export async function openStream(base: string, token: string, headers: Record<string, string> = {}) {
  const req = http.get(`${base}/v1/sync/stream`, { agent: false, headers: { authorization: `Bearer ${token}`, ...headers } });
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => req.once('response', resolve).once('error', reject));
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
  const blocks: SseEvent[] = [];
  let buffer = '';
  let ended = false;
  let wake = () => {};
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buffer += chunk;
    let idx: number;
    while ((idx = buffer.indexOf('\n\n')) >= 0) {
      const block: SseEvent = { raw: buffer.slice(0, idx + 2) };
      for (const line of buffer.slice(0, idx).split('\n')) {
        if (line.startsWith(':')) block.comment = line.slice(1).trim();
        const m = /^(id|event|data): ?(.*)$/.exec(line);
        if (m) block[m[1] as 'id' | 'event' | 'data'] = m[2]!;
      }
      blocks.push(block);
      buffer = buffer.slice(idx + 2);
    }
    wake();
  });
  res.on('close', () => {
    ended = true;
    wake();
  });
  return {
    blocks,
    /** Waits until a block matches (the first such block); fails after `ms`. */
    async next(match: (b: SseEvent) => boolean, ms = 10_000): Promise<SseEvent> {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = blocks.find(match);
        if (found) return found;
        if (ended) throw new Error(`stream ended; got ${JSON.stringify(blocks)}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching block within ${ms} ms; got ${JSON.stringify(blocks)}`);
        let timer: ReturnType<typeof setTimeout> | undefined;
        await new Promise<void>((r) => {
          wake = r;
          timer = setTimeout(r, left);
        });
        clearTimeout(timer);
      }
    },
    close() {
      req.destroy();
    },
    /** Resolves when HQ ends the stream (fails after `ms`). */
    async ended(ms = 10_000): Promise<void> {
      const deadline = Date.now() + ms;
      while (!ended) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`the stream did not end within ${ms} ms`);
        let timer: ReturnType<typeof setTimeout> | undefined;
        await new Promise<void>((r) => {
          wake = r;
          timer = setTimeout(r, left);
        });
        clearTimeout(timer);
      }
    },
  };
}
