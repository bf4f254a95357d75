// Pairing with HQ, the first load of the replica, and opening the till on later starts.
import { normalisePairingCode } from '../../core/pairing-code';
import { redeemPairingCode, SyncError, type Till, choosePairingReplica, legacyReplicaName, tokenDigest, withUnsentOps, type DevicePairing, type ReplicaSummary, type TillAtHq, DEFAULT_TILL_SETTINGS } from '../../sync/till';
import { toTillSettings } from './settings-schema';
import type { SessionSlice, SliceArgs } from './types';
import { translatorFor, type Translate } from '../../core/words/i18n';
import { problemText } from '../../sync/protocol/problem-text';

/** Where an older version kept the HQ address (localStorage); read once at start and moved. */
export const HQ_URL_KEY = 'voucher-till:hq-url';

/** Why pairing waits: which replicas still hold sales, and what to do about it. */
export function unsentSalesText(blocking: ReplicaSummary[], t: Translate): string {
  const ops = blocking.reduce((n, r) => n + r.pendingOps, 0);
  const known = blocking.filter((r) => r.identity);
  if (known.length === blocking.length) {
    const tills = known.map((r) => `“${r.identity!.name}”`).join(', ');
    return t('This device still holds {{count}} changes from sales that head office has not received, made as till {{tills}}. Pair it as that till again — with its token or a new pairing code for it — and they are sent; then it can be paired as another till.', { count: ops, tills });
  }
  // A replica from before pairings recorded their till: only the token it was paired with finds it.
  return t('This device still holds {{count}} changes from sales that head office has not received, made under an earlier pairing that did not record its till. Pair it again with the token it was paired with, and they are sent; then it can be paired as another till.', { count: ops });
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

export function pairingErrorText(error: unknown, hqUrl: string, t: Translate): string {
  if (error instanceof SyncError) {
    switch (error.reason) {
      case 'network':
      case 'timeout':
        return t('Cannot reach head office at {{url}}. Check the address and this till\'s network.', { url: hqUrl });
      case 'unauthorized':
        return t('Head office did not accept this till token. Check it, or ask for a new one.');
      case 'forbidden':
        return t('This token may not sync a till (is it an admin token?). Use a till token.');
      case 'rate-limited':
        return t('Head office is busy or has locked out this address after failed attempts. Try again in a minute.');
      default:
        if (error.details.code === 'pairing_code_invalid') return t('Head office does not know this pairing code, or it was used or has expired. Ask head office for a new one.');
        return t('Head office answered with an error: {{error}}', { error: t(problemText(error.details.code) ?? error.message) });
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
    // Another pairing's unsent sales on this device: the sync panel says so (they need their own till).
    void unsentElsewhere(till.replicaName).then((list) => set({ unsentElsewhere: list }));
    // For the UI benchmark (bench/ui.bench.ts): app start → ready to scan.
    globalThis.performance?.mark?.('ready-to-scan');
    void get().refreshGiftCodes();
  }

  /** Replicas with sales HQ has not received, other than the open till's. */
  async function unsentElsewhere(openDb?: string): Promise<ReplicaSummary[]> {
    return withUnsentOps(await deps.device.replicas().catch(() => []), openDb);
  }

  /** A pairing from before tills recorded who they are: ask HQ once, while online, and keep the answer. */
  async function learnIdentity(till: Till, pairing: DevicePairing, token: string): Promise<void> {
    try {
      const identity: TillAtHq = { ...(await deps.whoAmI(pairing.hqUrl, token)), hq_url: pairing.hqUrl };
      await till.setIdentity(identity);
      await deps.device.save({ ...pairing, identity });
    } catch {
      // Offline or HQ busy: asked again at the next start.
    }
  }

  /** `verify`: ask HQ even when the replica is loaded (pairing must prove the token works). */
  async function open(pairing: DevicePairing, token: string, verify: boolean): Promise<void> {
    const { hqUrl } = pairing;
    const settings = toTillSettings(get().settings);
    // Never sell a card HQ would refuse after the customer paid for it.
    const hqMax = pairing.identity?.max_gift_issue;
    if (hqMax !== undefined) settings.maxGiftCardAmount = Math.min(settings.maxGiftCardAmount ?? DEFAULT_TILL_SETTINGS.maxGiftCardAmount, hqMax);
    const till = await deps.openTill({ hqUrl, token, dbName: pairing.dbName, settings });
    set({ till, hqUrl, unsentElsewhere: [] });
    wire(till);
    // The replica says whose it is (durably, before anything is sold), so it is found again after a
    // re-pairing — also when the last start ended between saving the pairing and this write.
    if (pairing.identity && (verify || !(await till.identity()))) await till.setIdentity(pairing.identity);
    if (!pairing.identity) void learnIdentity(till, pairing, token);
    if (!verify && (await till.isLoaded())) return ready(till);
    set({ phase: 'loading', loadProgress: null, pairingError: null });
    try {
      await till.initialLoad((loadProgress) => set({ loadProgress }));
    } catch (error) {
      unsubscribe?.();
      await till.close();
      set({ till: null, phase: 'pairing', pairingError: pairingErrorText(error, hqUrl, translatorFor(get().settings.locale)) });
      if (error instanceof SyncError && (error.reason === 'unauthorized' || error.reason === 'forbidden')) {
        await deps.shell.clearToken();
        await deps.device.clear();
      }
      set({ unsentElsewhere: await unsentElsewhere() });
      return;
    }
    await ready(till);
    const t = translatorFor(get().settings.locale);
    get().say('success', t('The till is ready: everything is loaded and it keeps working without head office.'));
  }

  /** The pairing this device had before pairings were kept in IndexedDB (localStorage), moved over once. */
  async function legacyPairing(token: string | null): Promise<DevicePairing | undefined> {
    const hqUrl = deps.storage.getItem(HQ_URL_KEY);
    if (!hqUrl || !token) return undefined;
    const pairing: DevicePairing = { hqUrl, dbName: await legacyReplicaName(hqUrl, token), tokenDigest: await tokenDigest(token), identity: null, pairedAt: new Date(deps.now()).toISOString() };
    await deps.device.save(pairing);
    deps.storage.removeItem(HQ_URL_KEY);
    return pairing;
  }

  return {
    phase: 'starting',
    till: null,
    hqUrl: '',
    suggestedToken: '',
    loadProgress: null,
    pairingError: null,
    unsentElsewhere: [],

    async boot() {
      const config = await deps.shell.readConfig().catch(() => null);
      const token = await deps.shell.readToken();
      const pairing = (await deps.device.current()) ?? (await legacyPairing(token));
      if (pairing && token && pairing.tokenDigest === (await tokenDigest(token))) return open(pairing, token, false);
      const hqUrl = pairing?.hqUrl ?? config?.hqUrl ?? deps.pairingHint?.hqUrl ?? '';
      // A token without its pairing (the last pairing was cut short): offered again, Enter finishes it.
      set({ phase: 'pairing', hqUrl, suggestedToken: deps.pairingHint?.token ?? (pairing && token ? token : ''), unsentElsewhere: await unsentElsewhere() });
      // npm start hands over both: a newcomer should not have to copy a token by hand.
      if (deps.pairingHint?.hqUrl && deps.pairingHint.token) return get().pair(deps.pairingHint.hqUrl, deps.pairingHint.token);
    },

    async pair(rawUrl, rawToken) {
      const hqUrl = normaliseHqUrl(rawUrl);
      let token = rawToken.trim();
      const t = translatorFor(get().settings.locale);
      if (!hqUrl) return set({ pairingError: t('The head office address must be a full http:// or https:// address, such as https://hq.example.com.') });
      if (!token) return set({ pairingError: t('Enter the till token or the pairing code head office issued for this till.') });
      // A short pairing code (K7QM-3XHD) is exchanged for the till's token first. A till token is long
      // and starts with till_: anything else short is a mistyped code, and must not reach HQ as a token.
      const code = normalisePairingCode(token);
      if (!code && !token.startsWith('till_') && token.length <= 16) {
        return set({ pairingError: t('A pairing code is 8 letters and digits, such as K7QM-3XHD (never 0, 1, I, L or O). A till token starts with till_.') });
      }
      set({ pairingError: null, phase: 'loading', loadProgress: null, hqUrl });
      let identity: TillAtHq;
      try {
        if (code) {
          const result = await redeemPairingCode({ baseUrl: hqUrl, code });
          token = result.token;
          // The code is used up: should anything below fail, the pairing screen offers the token itself.
          set({ suggestedToken: token });
          const { token: _token, ...fields } = result;
          identity = { ...fields, hq_url: hqUrl };
        } else {
          identity = { ...(await deps.whoAmI(hqUrl, token)), hq_url: hqUrl };
        }
      } catch (error) {
        return set({ phase: 'pairing', pairingError: pairingErrorText(error, hqUrl, translatorFor(get().settings.locale)) });
      }
      const usedUp = code ? ` ${t('The pairing code is used up: the token field now holds this till’s token, so press Enter to try again.')}` : '';
      try {
        // This till's own replica (its unsent sales go out with the new token), unless another till's
        // unsent sales are still on this device: those can only reach HQ through their own till.
        const choice = choosePairingReplica(await deps.device.replicas(), identity, await legacyReplicaName(hqUrl, token));
        if (!choice.ok) {
          set({ phase: 'pairing', pairingError: unsentSalesText(choice.blocking, translatorFor(get().settings.locale)), unsentElsewhere: choice.blocking });
        } else {
          // Token and pairing are on disk before the till opens for selling (sync/device-pairing.ts).
          await deps.shell.storeToken(token);
          const pairing: DevicePairing = { hqUrl, dbName: choice.dbName, tokenDigest: await tokenDigest(token), identity, pairedAt: new Date(deps.now()).toISOString() };
          await deps.device.save(pairing);
          await open(pairing, token, true);
        }
      } catch (error) {
        set({ phase: 'pairing', pairingError: pairingErrorText(error, hqUrl, translatorFor(get().settings.locale)) });
      }
      if (get().phase === 'pairing' && get().pairingError) set({ pairingError: `${get().pairingError}${usedUp}` });
    },

    async reopenTill() {
      const { till, hqUrl } = get();
      if (!till) return;
      // The engine keeps its settings for its lifetime: reopen on the same replica with the new ones.
      const token = (await deps.shell.readToken()) ?? '';
      const pairing = (await deps.device.current()) ?? { hqUrl, dbName: till.replicaName, tokenDigest: await tokenDigest(token), identity: null, pairedAt: new Date(deps.now()).toISOString() };
      unsubscribe?.();
      await till.close();
      await open(pairing, token, false);
    },

    async unpair() {
      const till = get().till;
      if (till && till.status().pendingOps > 0) {
        const t = translatorFor(get().settings.locale);
        return get().say('error', t('{{count}} sales are not at head office yet. Reconnect and sync before unpairing.', { count: till.status().pendingOps }));
      }
      unsubscribe?.();
      if (till) {
        // Nothing is pending (checked above): this till's replica is of no use to another pairing.
        await till.destroy();
      }
      await deps.shell.clearToken();
      await deps.device.clear();
      set({ till: null, phase: 'pairing', suggestedToken: '', unsentElsewhere: await unsentElsewhere() });
    },
  };
}
