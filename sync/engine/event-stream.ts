// GET /v1/sync/stream as a fetch stream (EventSource cannot send an Authorization header).
// Calls onCheckpoint for every `changes` event until the stream ends or the signal aborts.
// `lastEventId` (sent as Last-Event-ID; HQ's event ids are checkpoints) is the checkpoint the till
// already knows: HQ then sends one at once only if it has a newer one.
import type { FetchLike } from './hq-client';

export async function readChangeStream(
  fetchFn: FetchLike,
  baseUrl: string,
  token: string,
  signal: AbortSignal,
  onCheckpoint: (checkpoint: string) => void,
  lastEventId?: string,
): Promise<void> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }) };
  const response = await fetchFn(`${baseUrl}/v1/sync/stream`, { headers, signal });
  if (!response.ok || !response.body) throw new Error(`event stream refused: HTTP ${response.status}`);
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
      if (event === 'changes' && data) {
        try {
          const checkpoint = (JSON.parse(data) as { checkpoint?: unknown }).checkpoint;
          if (typeof checkpoint === 'string') onCheckpoint(checkpoint);
        } catch {
          // a malformed event is ignored; the next pull brings the data anyway
        }
      }
    }
  }
}
