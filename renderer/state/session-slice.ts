// Pairing with HQ, the first load of the replica, and opening the till on later starts.
import { normalisePairingCode } from '../../core/pairing-code';
import { redeemPairingCode } from '../../sync/engine/hq-client';
import { SyncError } from '../../sync/engine/sync-error';
import type { Till } from '../../sync/till';
import { toTillSettings } from './settings-schema';
import type { SessionSlice, SliceArgs } from './types';

export const HQ_URL_KEY = 'voucher-till:hq-url';

/**
 * One replica per HQ and till token: another HQ's vouchers never mix in, and a till paired anew starts
 * its own op sequence (HQ numbers each till's ops from 1). The token is hashed, never stored in a name.
 */
export async function replicaNameFor(hqUrl: string, token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)));
  const hex = [...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `voucher-till:${hqUrl}:${hex}`;
}

export function normaliseHqUrl(raw: string): string | null {
  try {
    const url = new URL(raw.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (url.username || url.password || url.search || url.hash) return null;
    return url.origin + url.pathname.replace(/\/+$/, '');
  } catch {
    return null;
  }
}

export function pairingErrorText(error: unknown, hqUrl: string): string {
  if (error instanceof SyncError) {
    switch (error.reason) {
      case 'network':
      case 'timeout':
        return `Cannot reach head office at ${hqUrl}. Check the address and this till's network.`;
      case 'unauthorized':
        return 'Head office did not accept this till token. Check it, or ask for a new one.';
      case 'forbidden':
        return 'This token may not sync a till (is it an admin token?). Use a till token.';
      case 'rate-limited':
        return 'Head office is busy or has locked out this address after failed attempts. Try again in a minute.';
      default:
        if (error.details.code === 'pairing_code_invalid') return 'Head office does not know this pairing code, or it was used or has expired. Ask head office for a new one.';
        return `Head office answered with an error: ${error.message}`;
    }
  }
  return error instanceof Error ? error.message : String(error);
}

export function createSessionSlice(...[set, get, deps]: SliceArgs): SessionSlice {
  let unsubscribe: (() => void) | null = null;

  function wire(till: Till): void {
    unsubscribe?.();
    let conflicts = -1;
    unsubscribe = till.subscribe((sync) => {
      set({ sync });
      if (sync.unacknowledgedConflicts !== conflicts) {
        conflicts = sync.unacknowledgedConflicts;
        void get().refreshConflicts();
      }
    });
    set({ sync: till.status() });
  }

  async function ready(till: Till): Promise<void> {
    set({ phase: 'ready', loadProgress: null, pairingError: null });
    till.start();
    // For the UI benchmark (bench/ui.bench.ts): app start → ready to scan.
    globalThis.performance?.mark?.('ready-to-scan');
    void get().refreshGiftCodes();
  }

  /** `verify`: ask HQ even when the replica is loaded (pairing must prove the token works). */
  async function open(hqUrl: string, token: string, verify: boolean): Promise<void> {
    const till = await deps.openTill({ hqUrl, token, dbName: await replicaNameFor(hqUrl, token), settings: toTillSettings(get().settings) });
    set({ till, hqUrl });
    wire(till);
    if (!verify && (await till.isLoaded())) return ready(till);
    set({ phase: 'loading', loadProgress: null, pairingError: null });
    try {
      await till.initialLoad((loadProgress) => set({ loadProgress }));
    } catch (error) {
      unsubscribe?.();
      await till.close();
      set({ till: null, phase: 'pairing', pairingError: pairingErrorText(error, hqUrl) });
      if (error instanceof SyncError && (error.reason === 'unauthorized' || error.reason === 'forbidden')) await deps.shell.clearToken();
      return;
    }
    await ready(till);
    get().say('success', 'The till is ready: everything is loaded and it keeps working without head office.');
  }

  return {
    phase: 'starting',
    till: null,
    hqUrl: '',
    suggestedToken: '',
    loadProgress: null,
    pairingError: null,

    async boot() {
      const config = await deps.shell.readConfig().catch(() => null);
      const savedUrl = deps.storage.getItem(HQ_URL_KEY);
      const token = await deps.shell.readToken();
      const hqUrl = savedUrl ?? config?.hqUrl ?? deps.pairingHint?.hqUrl ?? '';
      if (savedUrl && token) return open(savedUrl, token, false);
      set({ phase: 'pairing', hqUrl, suggestedToken: deps.pairingHint?.token ?? '' });
      // npm start hands over both: a newcomer should not have to copy a token by hand.
      if (deps.pairingHint?.hqUrl && deps.pairingHint.token) return get().pair(deps.pairingHint.hqUrl, deps.pairingHint.token);
    },

    async pair(rawUrl, rawToken) {
      const hqUrl = normaliseHqUrl(rawUrl);
      let token = rawToken.trim();
      if (!hqUrl) return set({ pairingError: 'The head office address must be a full http:// or https:// address, such as https://hq.example.com.' });
      if (!token) return set({ pairingError: 'Enter the till token or the pairing code head office issued for this till.' });
      // A short pairing code (K7QM-3XHD) is exchanged for the till's token first. A till token is long
      // and starts with till_: anything else short is a mistyped code, and must not reach HQ as a token.
      const code = normalisePairingCode(token);
      if (!code && !token.startsWith('till_') && token.length <= 16) {
        return set({ pairingError: 'A pairing code is 8 letters and digits, such as K7QM-3XHD (never 0, 1, I, L or O). A till token starts with till_.' });
      }
      set({ pairingError: null, phase: 'loading', loadProgress: null });
      if (code) {
        try {
          token = (await redeemPairingCode({ baseUrl: hqUrl, code })).token;
        } catch (error) {
          return set({ phase: 'pairing', pairingError: pairingErrorText(error, hqUrl) });
        }
        // The code is used up: should anything below fail, the pairing screen offers the token itself.
        set({ suggestedToken: token });
      }
      const usedUp = code ? ' The pairing code is used up: the token field now holds this till’s token, so press Enter to try again.' : '';
      try {
        await deps.shell.storeToken(token);
        deps.storage.setItem(HQ_URL_KEY, hqUrl);
        await open(hqUrl, token, true);
      } catch (error) {
        set({ phase: 'pairing', pairingError: pairingErrorText(error, hqUrl) });
      }
      if (get().phase === 'pairing' && get().pairingError) set({ pairingError: `${get().pairingError}${usedUp}` });
    },

    async reopenTill() {
      const { till, hqUrl } = get();
      if (!till) return;
      // The engine keeps its settings for its lifetime: reopen on the same replica with the new ones.
      const token = (await deps.shell.readToken()) ?? '';
      unsubscribe?.();
      await till.close();
      await open(hqUrl, token, false);
    },

    async unpair() {
      const till = get().till;
      if (till && till.status().pendingOps > 0) {
        return get().say('error', `${till.status().pendingOps} sales are not at head office yet. Reconnect and sync before unpairing.`);
      }
      unsubscribe?.();
      if (till) {
        await till.close();
        // Nothing is pending (checked above): this till's replica is of no use to another pairing.
        await till.db.delete();
      }
      await deps.shell.clearToken();
      deps.storage.removeItem(HQ_URL_KEY);
      set({ till: null, phase: 'pairing', suggestedToken: '' });
    },
  };
}
