// GET /v1/sync/stream as a fetch stream (EventSource cannot send an Authorization header).
// Calls onEvent for every `changes`, `page` and `page-gzip` event until the stream ends or the signal aborts.
// `lastEventId` (sent as Last-Event-ID; HQ's event ids are checkpoints) is the checkpoint the till
// already knows: HQ then sends one at once only if it has a newer one.
import { StreamPageSchema, type StreamPage } from '../protocol';
import type { FetchLike } from './hq-client';

/**
 * What the stream says: the feed has reached `checkpoint` (pull to get it), or here is a page of it
 * (StreamPage: apply it if it fits, else pull). Every event carries the checkpoint it brings the till to.
 */
export type StreamEvent = { type: 'changes'; checkpoint: string } | { type: 'page'; checkpoint: string; page: StreamPage };

/** base64 of gzip → text (`page-gzip` events): DecompressionStream, in browsers and in Node alike. */
async function gunzipBase64(data: string): Promise<string> {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}

/**
 * One event's data, or null if it is not one the till understands (ignored: a pull brings the data
 * anyway). `page-gzip` is a `page` whose JSON came gzipped, in base64 (HQ sends larger pages so).
 */
export async function parseStreamEvent(event: string | undefined, data: string): Promise<StreamEvent | null> {
  try {
    if (event === 'changes') {
      const checkpoint = (JSON.parse(data) as { checkpoint?: unknown }).checkpoint;
      return typeof checkpoint === 'string' ? { type: 'changes', checkpoint } : null;
    }
    if (event === 'page-gzip') {
      const json = await gunzipBase64(data).catch(() => null);
      return json === null ? null : parseStreamEvent('page', json);
    }
    if (event === 'page') {
      const parsed = StreamPageSchema.safeParse(JSON.parse(data));
      // A page the till cannot read still says how far the feed has come: pull, as for `changes`.
      if (!parsed.success) {
        const checkpoint = (JSON.parse(data) as { checkpoint?: unknown }).checkpoint;
        return typeof checkpoint === 'string' && /^\d{1,15}$/.test(checkpoint) ? { type: 'changes', checkpoint } : null;
      }
      return { type: 'page', checkpoint: parsed.data.checkpoint, page: parsed.data };
    }
  } catch {
    // malformed JSON: ignored
  }
  return null;
}

export async function readChangeStream(
  fetchFn: FetchLike,
  baseUrl: string,
  token: string,
  signal: AbortSignal,
  onEvent: (event: StreamEvent) => void,
  lastEventId?: string,
  /** HQ has answered: the stream is open (it ends when this promise settles). */
  onOpen?: () => void,
): Promise<void> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }) };
  const response = await fetchFn(`${baseUrl}/v1/sync/stream`, { headers, signal });
  if (!response.ok || !response.body) throw new Error(`event stream refused: HTTP ${response.status}`);
  onOpen?.();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event:'))?.slice(6).trim();
      const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
      // Awaited in order: a page-gzip event is decoded before the next event is looked at. A page the
      // till cannot read still says, by its id, how far the feed has come: it pulls, as for `changes`.
      const id = lines.find((l) => l.startsWith('id:'))?.slice(3).trim();
      const parsed = data ? await parseStreamEvent(event, data) : null;
      const heard = parsed ?? (event?.startsWith('page') && id && /^\d{1,15}$/.test(id) ? ({ type: 'changes', checkpoint: id } as const) : null);
      if (heard) onEvent(heard);
    }
  }
}
