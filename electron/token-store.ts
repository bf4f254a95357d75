// The till token at rest: encrypted with Electron's safeStorage (DPAPI on Windows, Keychain on
// macOS, the desktop keyring on Linux) in a file in the user data directory. On Linux without a
// keyring Chromium falls back to "basic_text" — a fixed, public key, i.e. plain text in all but name —
// and we refuse that unless the settings explicitly allow it (allowPlainTextToken).
import type { TokenResult } from './ipc-channels';

export const TOKEN_FILE_NAME = 'till-token.bin';

/** The async half of Electron's safeStorage this module uses (a fake in tests). */
export type SafeStorageLike = {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }>;
  getSelectedStorageBackend(): string;
};

export type TokenFs = {
  readFile(path: string): Promise<Buffer>;
  /** Must be atomic (write a temporary file, then rename) so a crash never leaves half a token. */
  writeFileAtomic(path: string, data: Buffer): Promise<void>;
  unlink(path: string): Promise<void>;
};

export type TokenStoreOptions = {
  safeStorage: SafeStorageLike;
  fs: TokenFs;
  filePath: string;
  platform: NodeJS.Platform;
  allowPlainText: boolean;
};

export type TokenStore = {
  read(): Promise<TokenResult>;
  store(token: string): Promise<TokenResult>;
  clear(): Promise<TokenResult>;
};

const isMissing = (e: unknown) => (e as NodeJS.ErrnoException)?.code === 'ENOENT';

export function createTokenStore(options: TokenStoreOptions): TokenStore {
  const { safeStorage, fs, filePath } = options;

  async function refusal(): Promise<string | null> {
    if (options.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text' && !options.allowPlainText) {
      return (
        'No OS keyring is available (Linux secret store "basic_text"), so the till token would be stored in plain text. ' +
        'Install and unlock a keyring (GNOME Keyring / KWallet), or set "allowPlainTextToken": true in settings.json to accept that risk.'
      );
    }
    if (!(await safeStorage.isAsyncEncryptionAvailable())) return 'OS encryption for the till token is not available on this machine.';
    return null;
  }

  return {
    async read() {
      const refused = await refusal();
      if (refused !== null) return { ok: false, message: refused };
      let encrypted: Buffer;
      try {
        encrypted = await fs.readFile(filePath);
      } catch (e) {
        if (isMissing(e)) return { ok: true, token: null };
        return { ok: false, message: `The till token file cannot be read: ${(e as Error).message}` };
      }
      try {
        const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(encrypted);
        // The key was rotated or a stronger one is available: store it again under the new key.
        if (shouldReEncrypt) await fs.writeFileAtomic(filePath, await safeStorage.encryptStringAsync(result));
        return { ok: true, token: result };
      } catch (e) {
        return { ok: false, message: `The stored till token cannot be decrypted (pair the till again): ${(e as Error).message}` };
      }
    },
    async store(token) {
      const refused = await refusal();
      if (refused !== null) return { ok: false, message: refused };
      try {
        await fs.writeFileAtomic(filePath, await safeStorage.encryptStringAsync(token));
        return { ok: true, token: null };
      } catch (e) {
        return { ok: false, message: `The till token cannot be stored: ${(e as Error).message}` };
      }
    },
    async clear() {
      // Clearing never needs the keyring: removing the file is always allowed.
      try {
        await fs.unlink(filePath);
      } catch (e) {
        if (!isMissing(e)) return { ok: false, message: `The till token cannot be removed: ${(e as Error).message}` };
      }
      return { ok: true, token: null };
    },
  };
}
