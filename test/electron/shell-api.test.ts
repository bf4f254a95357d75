// window.tillShell as the preload builds it, over a fake ipcRenderer: each method is one invoke on
// the channel main validates, token errors become rejections, and the quit handshake waits for the
// renderer's handlers before answering.
import { describe, expect, it, vi } from 'vitest';
import { IPC } from '../../electron/ipc-channels';
import { createTillShell, type IpcRendererLike } from '../../electron/shell-api';

/** Let pending promise callbacks run (no real time passes). */
const flush = () => new Promise((r) => setImmediate(r));

function fakeIpc(answers: Record<string, unknown> = {}) {
  const listeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();
  const invoke = vi.fn(async (channel: string, ..._args: unknown[]) => answers[channel]);
  const ipc: IpcRendererLike = { invoke, on: (channel, listener) => listeners.set(channel, listener) };
  return { ipc, invoke, emit: (channel: string, ...args: unknown[]) => listeners.get(channel)?.({}, ...args) };
}

describe('createTillShell', () => {
  it('calls one channel per method with the payload main expects', async () => {
    const { ipc, invoke } = fakeIpc({ [IPC.appVersion]: '0.1.0', [IPC.printHtml]: { ok: true }, [IPC.configRead]: { hqUrl: null, printer: null, kiosk: false } });
    const shell = createTillShell(ipc);
    expect(shell.kind).toBe('electron');
    expect(await shell.appVersion()).toBe('0.1.0');
    expect(await shell.printHtml('<p>x</p>')).toEqual({ ok: true });
    await shell.printHtml('<p>y</p>', { printer: 'TM-T20' });
    expect(await shell.readConfig()).toEqual({ hqUrl: null, printer: null, kiosk: false });
    expect(invoke.mock.calls).toEqual([[IPC.appVersion], [IPC.printHtml, { html: '<p>x</p>' }], [IPC.printHtml, { html: '<p>y</p>', printer: 'TM-T20' }], [IPC.configRead]]);
  });

  it('returns the token and turns a refused token operation into a rejection with main\'s message', async () => {
    const ok = createTillShell(fakeIpc({ [IPC.tokenRead]: { ok: true, token: 'tok' }, [IPC.tokenStore]: { ok: true, token: null } }).ipc);
    expect(await ok.readToken()).toBe('tok');
    await expect(ok.storeToken('tok')).resolves.toBeUndefined();
    const refused = createTillShell(fakeIpc({ [IPC.tokenStore]: { ok: false, message: 'No OS keyring is available' } }).ipc);
    await expect(refused.storeToken('tok')).rejects.toThrow('No OS keyring is available');
  });

  it('answers a quit request only after every handler has settled, failures included', async () => {
    const { ipc, invoke, emit } = fakeIpc();
    const shell = createTillShell(ipc);
    let finishPush!: () => void;
    const push = new Promise<void>((r) => (finishPush = r));
    shell.onQuitRequested(() => push);
    shell.onQuitRequested(async () => {
      throw new Error('sync panel broke');
    });
    const id = '5b0c7c4e-8a59-4d37-9d53-2b1c1e5f6a70';
    emit(IPC.quitRequested, { id });
    await flush();
    expect(invoke).not.toHaveBeenCalled();
    finishPush();
    await flush();
    expect(invoke).toHaveBeenCalledWith(IPC.quitReady, { id });
  });

  it('an unsubscribed handler is not waited for; a malformed request is ignored', async () => {
    const { ipc, invoke, emit } = fakeIpc();
    const shell = createTillShell(ipc);
    const off = shell.onQuitRequested(() => new Promise(() => {}));
    off();
    emit(IPC.quitRequested, 'not an object');
    expect(invoke).not.toHaveBeenCalled();
    emit(IPC.quitRequested, { id: 'a' });
    await flush();
    expect(invoke).toHaveBeenCalledWith(IPC.quitReady, { id: 'a' });
  });
});
