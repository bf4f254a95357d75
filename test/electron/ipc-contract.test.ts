// handleIpc with a fake ipcMain and fake events: a handler runs only for the till's own top-level
// frame and only with a payload its schema accepts.
import { describe, expect, it, vi } from 'vitest';
import { IPC } from '../../electron/ipc-channels';
import { checkSender, handleIpc, MAX_PRINT_HTML_CHARS, type InvokeEventLike } from '../../electron/ipc-contract';

type Listener = (event: InvokeEventLike, ...args: unknown[]) => unknown;

function fakeIpc() {
  const listeners = new Map<string, Listener>();
  return {
    handle: (channel: string, listener: Listener) => void listeners.set(channel, listener),
    invoke: async (channel: string, event: InvokeEventLike, ...args: unknown[]) => listeners.get(channel)!(event, ...args),
  };
}

const tillFrame: InvokeEventLike = { senderFrame: { url: 'app://till/index.html', parent: null } };

function setup<C extends Parameters<typeof handleIpc>[1]>(channel: C) {
  const ipc = fakeIpc();
  const handler = vi.fn((payload: unknown) => ({ handled: payload }));
  const log = vi.fn();
  handleIpc(ipc, channel, handler, log);
  return { ipc, handler, log };
}

describe('sender frame', () => {
  it.each([
    ['a look-alike host', { senderFrame: { url: 'app://till.evil/index.html', parent: null } }, /not app:\/\/till/],
    ['user info', { senderFrame: { url: 'app://user@till/', parent: null } }, /not app:\/\/till/],
    ['a web page', { senderFrame: { url: 'https://evil.example/', parent: null } }, /not app:\/\/till/],
    ['a print document', { senderFrame: { url: 'data:text/html;base64,PGh0bWw+', parent: null } }, /not app:\/\/till/],
    ['a file:// page', { senderFrame: { url: 'file:///etc/passwd', parent: null } }, /not app:\/\/till/],
    ['a sub-frame of the till', { senderFrame: { url: 'app://till/index.html', parent: {} } }, /sub-frame/],
    ['a destroyed frame', { senderFrame: null }, /gone/],
  ])('refuses %s without running the handler', async (_name, event, reason) => {
    const { ipc, handler, log } = setup(IPC.appVersion);
    await expect(ipc.invoke(IPC.appVersion, event as InvokeEventLike)).rejects.toThrow(`${IPC.appVersion}: untrusted sender`);
    expect(handler).not.toHaveBeenCalled();
    expect(log.mock.calls[0]![0]).toMatch(reason);
  });

  it('accepts the till main frame', () => {
    expect(checkSender(tillFrame)).toEqual({ ok: true });
  });
});

describe('payloads', () => {
  it('passes a valid print payload through, parsed', async () => {
    const { ipc, handler } = setup(IPC.printHtml);
    await expect(ipc.invoke(IPC.printHtml, tillFrame, { html: '<p>receipt</p>', printer: ' TM-T20 ' })).resolves.toEqual({ handled: { html: '<p>receipt</p>', printer: 'TM-T20' } });
    expect(handler).toHaveBeenCalledOnce();
  });

  it.each([
    ['no payload', IPC.printHtml, []],
    ['a string instead of an object', IPC.printHtml, ['<p>x</p>']],
    ['empty html', IPC.printHtml, [{ html: '' }]],
    ['html over the limit', IPC.printHtml, [{ html: 'x'.repeat(MAX_PRINT_HTML_CHARS + 1) }]],
    ['an unknown field', IPC.printHtml, [{ html: '<p>x</p>', silent: false }]],
    ['a non-string printer', IPC.printHtml, [{ html: '<p>x</p>', printer: 42 }]],
    ['a token with a newline', IPC.tokenStore, [{ token: 'abc\ndef' }]],
    ['an empty token', IPC.tokenStore, [{ token: '' }]],
    ['a prototype-polluting object', IPC.tokenStore, [JSON.parse('{"token":"abc","__proto__":{"x":1}}')]],
    ['a payload on a no-payload channel', IPC.tokenRead, [{ anything: true }]],
    ['two arguments', IPC.tokenStore, [{ token: 'abc' }, { token: 'def' }]],
    ['a quit id that is not a uuid', IPC.quitReady, [{ id: '../../x' }]],
  ] as const)('refuses %s', async (_name, channel, args) => {
    const { ipc, handler, log } = setup(channel);
    await expect(ipc.invoke(channel, tillFrame, ...args)).rejects.toThrow(`${channel}: invalid payload`);
    expect(handler).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledOnce();
  });

  it('never logs the payload (it may be a token)', async () => {
    const { ipc, log } = setup(IPC.tokenStore);
    await expect(ipc.invoke(IPC.tokenStore, tillFrame, { token: 'secret token' })).rejects.toThrow();
    expect(String(log.mock.calls[0]![0])).not.toContain('secret');
  });

  it('accepts the no-payload channels without arguments', async () => {
    const { ipc, handler } = setup(IPC.configRead);
    await ipc.invoke(IPC.configRead, tillFrame);
    expect(handler).toHaveBeenCalledWith(undefined, tillFrame);
  });
});
