// Every IPC handler in main goes through handleIpc: the request must come from the till's own
// top-level frame (app://till, checked by trusted-url.ts) and its payload must parse with the
// channel's zod schema, or the handler never runs and the invoke rejects.
import { z } from 'zod';
import { IPC, type IpcChannel } from './ipc-channels';
import { APP_ORIGIN, isTrustedAppUrl } from './trusted-url';

/** Receipts are small; the limit keeps the print data: URL under Chromium's 2 MB URL cap. */
export const MAX_PRINT_HTML_CHARS = 1_000_000;

const none = z.undefined();

export const payloadSchemas = {
  [IPC.appVersion]: none,
  [IPC.listPrinters]: none,
  [IPC.printHtml]: z.strictObject({
    html: z.string().min(1).max(MAX_PRINT_HTML_CHARS),
    printer: z.string().trim().min(1).max(256).optional(),
  }),
  [IPC.tokenRead]: none,
  // HQ tokens are printable ASCII; no whitespace or control characters end up in the key store.
  [IPC.tokenStore]: z.strictObject({ token: z.string().min(1).max(4096).regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces') }),
  [IPC.tokenClear]: none,
  [IPC.configRead]: none,
  [IPC.quitReady]: z.strictObject({ id: z.uuid() }),
} satisfies Partial<Record<IpcChannel, z.ZodType>>;

export type HandledChannel = keyof typeof payloadSchemas;
export type Payload<C extends HandledChannel> = z.infer<(typeof payloadSchemas)[C]>;

/** The parts of Electron's IpcMainInvokeEvent the checks read (a fake in tests). */
export type InvokeEventLike = {
  senderFrame: { url: string; parent: unknown } | null;
};

export type IpcMainLike = {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
};

export type SenderCheck = { ok: true } | { ok: false; reason: string };

export function checkSender(event: InvokeEventLike): SenderCheck {
  const frame = event.senderFrame;
  // null: the frame navigated away or was destroyed while the message was in flight.
  if (frame === null || frame === undefined) return { ok: false, reason: 'sender frame is gone' };
  if (frame.parent !== null) return { ok: false, reason: 'sender is a sub-frame' };
  if (!isTrustedAppUrl(frame.url)) return { ok: false, reason: `sender frame ${JSON.stringify(frame.url)} is not ${APP_ORIGIN}` };
  return { ok: true };
}

export class IpcRejected extends Error {}

/**
 * Register `handler` for `channel`. Rejections are logged (with the reason, never the payload: it
 * may hold a token) and surface in the renderer as a rejected promise.
 */
export function handleIpc<C extends HandledChannel, R>(
  ipc: IpcMainLike,
  channel: C,
  handler: (payload: Payload<C>, event: InvokeEventLike) => R | Promise<R>,
  log: (message: string) => void,
): void {
  const schema: z.ZodType = payloadSchemas[channel];
  ipc.handle(channel, async (event, ...args) => {
    const sender = checkSender(event);
    if (!sender.ok) {
      log(`ipc ${channel} refused: ${sender.reason}`);
      throw new IpcRejected(`${channel}: untrusted sender`);
    }
    if (args.length > 1) {
      log(`ipc ${channel} refused: ${args.length} arguments`);
      throw new IpcRejected(`${channel}: invalid payload`);
    }
    const parsed = schema.safeParse(args[0]);
    if (!parsed.success) {
      log(`ipc ${channel} refused: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ')}`);
      throw new IpcRejected(`${channel}: invalid payload`);
    }
    return handler(parsed.data as Payload<C>, event);
  });
}
