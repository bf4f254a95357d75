// The till token at rest, over a fake safeStorage and an in-memory file system.
import { describe, expect, it } from 'vitest';
import { createTokenStore, type SafeStorageLike, type TokenFs } from '../../electron/token-store';

const FILE = '/profile/till-token.bin';

function fakeSafeStorage(overrides: Partial<SafeStorageLike> & { backend?: string; rotate?: boolean } = {}): SafeStorageLike {
  return {
    isAsyncEncryptionAvailable: async () => true,
    // Reversible but not plain: the test can tell stored bytes from the token.
    encryptStringAsync: async (plain) => Buffer.from(`enc:${Buffer.from(plain).toString('base64')}`),
    decryptStringAsync: async (encrypted) => {
      const text = encrypted.toString();
      if (!text.startsWith('enc:')) throw new Error('bad ciphertext');
      return { result: Buffer.from(text.slice(4), 'base64').toString(), shouldReEncrypt: overrides.rotate ?? false };
    },
    getSelectedStorageBackend: () => overrides.backend ?? 'gnome_libsecret',
    ...overrides,
  };
}

function memoryFs(): TokenFs & { files: Map<string, Buffer>; writes: number } {
  const files = new Map<string, Buffer>();
  const enoent = () => Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
  const self = {
    files,
    writes: 0,
    readFile: async (p: string) => files.get(p) ?? Promise.reject(enoent()),
    writeFileAtomic: async (p: string, data: Buffer) => {
      self.writes += 1;
      files.set(p, data);
    },
    unlink: async (p: string) => {
      if (!files.delete(p)) throw enoent();
    },
  };
  return self;
}

function store(options: { safeStorage?: SafeStorageLike; platform?: NodeJS.Platform; allowPlainText?: boolean; fs?: ReturnType<typeof memoryFs> } = {}) {
  const fs = options.fs ?? memoryFs();
  return { fs, tokens: createTokenStore({ safeStorage: options.safeStorage ?? fakeSafeStorage(), fs, filePath: FILE, platform: options.platform ?? 'linux', allowPlainText: options.allowPlainText ?? false }) };
}

describe('token store', () => {
  it('round-trips a token, stored encrypted', async () => {
    const { fs, tokens } = store();
    expect(await tokens.read()).toEqual({ ok: true, token: null });
    expect(await tokens.store('tok_123')).toEqual({ ok: true, token: null });
    expect(fs.files.get(FILE)!.toString()).not.toContain('tok_123');
    expect(await tokens.read()).toEqual({ ok: true, token: 'tok_123' });
    expect(await tokens.clear()).toEqual({ ok: true, token: null });
    expect(await tokens.read()).toEqual({ ok: true, token: null });
  });

  it('refuses to store or read on Linux with the basic_text backend', async () => {
    const { fs, tokens } = store({ safeStorage: fakeSafeStorage({ backend: 'basic_text' }) });
    const stored = await tokens.store('tok_123');
    expect(stored.ok).toBe(false);
    expect(!stored.ok && stored.message).toMatch(/plain text.*allowPlainTextToken/s);
    expect(fs.files.size).toBe(0);
    expect((await tokens.read()).ok).toBe(false);
  });

  it('accepts basic_text when the settings allow it', async () => {
    const { tokens } = store({ safeStorage: fakeSafeStorage({ backend: 'basic_text' }), allowPlainText: true });
    expect(await tokens.store('tok_123')).toEqual({ ok: true, token: null });
  });

  it('basic_text is a Linux notion: other platforms never ask for it', async () => {
    const safeStorage = fakeSafeStorage({
      getSelectedStorageBackend: () => {
        throw new Error('linux only');
      },
    });
    expect(await store({ safeStorage, platform: 'win32' }).tokens.store('tok_123')).toEqual({ ok: true, token: null });
  });

  it('refuses when OS encryption is unavailable', async () => {
    const { tokens } = store({ safeStorage: fakeSafeStorage({ isAsyncEncryptionAvailable: async () => false }) });
    expect(await tokens.store('tok_123')).toEqual({ ok: false, message: expect.stringMatching(/not available/) });
  });

  it('re-encrypts when safeStorage says the key rotated', async () => {
    const fs = memoryFs();
    await store({ fs }).tokens.store('tok_123');
    const { tokens } = store({ fs, safeStorage: fakeSafeStorage({ rotate: true }) });
    expect(await tokens.read()).toEqual({ ok: true, token: 'tok_123' });
    expect(fs.writes).toBe(2);
  });

  it('reports an undecryptable file instead of returning garbage', async () => {
    const { fs, tokens } = store();
    fs.files.set(FILE, Buffer.from('garbage'));
    expect(await tokens.read()).toEqual({ ok: false, message: expect.stringMatching(/cannot be decrypted/) });
  });

  it('clearing works without a keyring and when there is nothing to clear', async () => {
    const { tokens } = store({ safeStorage: fakeSafeStorage({ backend: 'basic_text' }) });
    expect(await tokens.clear()).toEqual({ ok: true, token: null });
  });
});
