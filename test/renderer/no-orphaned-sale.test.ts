// No sale is ever orphaned (issue 11): the pairing is on disk before the till sells, a restart that lost
// localStorage still finds it, re-pairing the same device as the same till — with a token or a new
// pairing code — sends what the old outbox holds, and pairing as another till waits until it is sent.
// "The device" is one fake-indexeddb factory: a second store on it is the app started again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDBKeyRange } from 'fake-indexeddb';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../hq/db/connect';
import { createBrowserShell } from '../../renderer/shell/browser-shell';
import { openDevicePairing, choosePairingReplica, replicaNameForTill, type ReplicaSummary, type TillAtHq } from '../../sync/device-pairing';
import { SaleError } from '../../sync/replica/sale-error';
import type { LiveHq } from '../../testkit/till-harness';
import { unsentSalesText } from '../../renderer/state/session-slice';
import { translatorFor } from '../../core/words/i18n';
import { deviceStore, fakeShell, insideOf, memoryStorage, startDemoHq, TEST_SETTINGS } from './store-harness';

const ESPRESSO = '4006381100007';

let hq: LiveHq;
const stores: ReturnType<typeof deviceStore>[] = [];

beforeAll(async () => {
  hq = await startDemoHq();
}, 60_000);

afterAll(async () => {
  for (const { store } of stores) await store.getState().till?.close();
  await hq?.close();
});

function track<T extends ReturnType<typeof deviceStore>>(parts: T): T {
  stores.push(parts);
  return parts;
}

async function pairingCodeFor(tillId: string): Promise<string> {
  return (await hq.admin({ method: 'POST', url: `/v1/tills/${tillId}/pairing-code` })).json().pairing_code;
}

/** Sell espresso with a voucher by card while HQ cannot be reached: the redemption stays in the outbox. */
async function sellOffline(parts: ReturnType<typeof deviceStore>): Promise<void> {
  parts.network.online = false;
  const s = parts.store.getState();
  await s.syncNow().catch(() => undefined); // the engine notices it is offline
  const before = s.till!.status().pendingOps;
  await s.scan(ESPRESSO);
  await s.scan('WELCOME10');
  expect(parts.store.getState().applied.map((a) => a.code)).toEqual(['WELCOME10']);
  expect(await s.pay({ method: 'CARD' })).not.toBeNull();
  expect(await insideOf(s.till).db.outbox.count()).toBe(before + 1);
}

async function redemptionsAtHq(tillId: string): Promise<number> {
  return Number(rowsOf<{ n: string | number }>(await hq.database.db.execute(sql`SELECT count(*) AS n FROM ops WHERE till_id = ${tillId}::uuid`))[0]!.n);
}

/** A window for the browser shell: its localStorage is given, the rest is never touched by the token calls. */
function fakeWindow(storage: ReturnType<typeof memoryStorage>): Window {
  return { localStorage: storage } as unknown as Window;
}

describe('the pairing survives a crash right after it', () => {
  it('the browser shell keeps the token in IndexedDB: a restart that lost localStorage opens the same till, sales and all', async () => {
    const { till_id, token } = await hq.newTill('Crash till', 'Europe/Berlin');
    const first = track(deviceStore());
    const device = openDevicePairing({ indexedDB: first.indexedDB, IDBKeyRange });
    const shellOf = (storage: ReturnType<typeof memoryStorage>) => createBrowserShell(fakeWindow(storage), 'test', device);
    const paired = track(deviceStore({ indexedDB: first.indexedDB, shell: shellOf(first.storage), storage: first.storage }));
    await paired.store.getState().boot();
    await paired.store.getState().pair(hq.url, token);
    expect(paired.store.getState().phase).toBe('ready');
    await sellOffline(paired);
    const dbName = paired.store.getState().till!.replicaName;
    expect(dbName).toBe(replicaNameForTill(hq.url, till_id));
    // Killed: nothing is closed, and localStorage (written to disk seconds later in Chromium) is lost.
    const restarted = track(deviceStore({ indexedDB: first.indexedDB, shell: shellOf(memoryStorage()), storage: memoryStorage() }));
    await restarted.store.getState().boot();
    const s = restarted.store.getState();
    expect(s.phase).toBe('ready');
    expect(s.till!.replicaName).toBe(dbName);
    expect(s.sync.pendingOps).toBeGreaterThan(0);
    await s.syncNow();
    expect(s.till!.status().pendingOps).toBe(0);
    expect(await redemptionsAtHq(till_id)).toBeGreaterThan(0);
  });

  it('a till paired by an older version (HQ address in localStorage, token-named replica) is moved over and keeps its replica', async () => {
    const { token } = await hq.newTill('Old version till', 'Europe/Berlin');
    const first = track(deviceStore());
    const storage = memoryStorage();
    const { legacyReplicaName } = await import('../../sync/device-pairing');
    const legacyName = await legacyReplicaName(hq.url, token);
    // What the older version left behind: the address in localStorage, the token in the shell, a replica.
    storage.setItem('voucher-till:hq-url', hq.url);
    const shell = fakeShell();
    shell.token = token;
    const parts = track(deviceStore({ indexedDB: first.indexedDB, shell, storage }));
    await parts.store.getState().boot();
    expect(parts.store.getState().till!.replicaName).toBe(legacyName);
    expect(storage.getItem('voucher-till:hq-url')).toBeNull();
    expect(await openDevicePairing({ indexedDB: first.indexedDB, IDBKeyRange }).current()).toMatchObject({ hqUrl: hq.url, dbName: legacyName });
  });
});

describe('re-pairing carries the outbox over, or waits for it', () => {
  for (const how of ['pairing code', 'token'] as const) {
    it(`a device that lost its pairing, paired again as the same till with its ${how}, sends the sales it held`, async () => {
      const { till_id, token } = await hq.newTill(`Re-paired by ${how}`, 'Europe/Berlin');
      const parts = track(deviceStore());
      await parts.store.getState().boot();
      await parts.store.getState().pair(hq.url, token);
      await sellOffline(parts);
      await sellOffline(parts);
      const pending = parts.store.getState().till!.status().pendingOps;
      expect(pending).toBeGreaterThan(1);
      await parts.store.getState().till!.close();

      // The token is gone (a wiped keyring, a new user profile): the device is back on the pairing screen.
      const shell = fakeShell();
      const again = track(deviceStore({ indexedDB: parts.indexedDB, shell, storage: parts.storage }));
      await again.store.getState().boot();
      expect(again.store.getState().phase).toBe('pairing');
      expect(again.store.getState().unsentElsewhere).toEqual([
        { dbName: replicaNameForTill(hq.url, till_id), identity: expect.objectContaining({ till_id, hq_url: hq.url }), pendingOps: pending },
      ]);

      await again.store.getState().pair(hq.url, how === 'token' ? token : await pairingCodeFor(till_id));
      const s = again.store.getState();
      expect(s.phase).toBe('ready');
      expect(s.till!.replicaName).toBe(replicaNameForTill(hq.url, till_id));
      await s.syncNow();
      expect(s.till!.status().pendingOps).toBe(0);
      // HQ has every op, numbered on from where the till left off.
      expect(await redemptionsAtHq(till_id)).toBe(pending);
      const lastSeq = rowsOf<{ last_seq: string | number }>(await hq.database.db.execute(sql`SELECT last_seq FROM tills WHERE id = ${till_id}::uuid`))[0]!.last_seq;
      expect(Number(lastSeq)).toBe(pending);
    });
  }

  it('pairing as another till while one holds unsent sales is refused in words; nothing is stored', async () => {
    const a = await hq.newTill('Till with unsent sales', 'Europe/Berlin');
    const b = await hq.newTill('Another till', 'Europe/Berlin');
    const parts = track(deviceStore());
    await parts.store.getState().boot();
    await parts.store.getState().pair(hq.url, a.token);
    await sellOffline(parts);
    await parts.store.getState().till!.close();

    const shell = fakeShell();
    const again = track(deviceStore({ indexedDB: parts.indexedDB, shell, storage: parts.storage }));
    await again.store.getState().boot();
    await again.store.getState().pair(hq.url, b.token);
    const s = again.store.getState();
    expect(s.phase).toBe('pairing');
    expect(s.pairingError).toMatch(/^This device still holds \d+ changes? from sales that head office has not received, made as till “Till with unsent sales”\. Pair it as that till again/);
    expect(shell.token).toBeNull();
    expect(s.till).toBeNull();
    expect(await openDevicePairing({ indexedDB: parts.indexedDB, IDBKeyRange }).current()).toMatchObject({ identity: { till_id: a.till_id } });

    // Paired as the till that holds them, they go out; after that another till may have this device.
    await again.store.getState().pair(hq.url, a.token);
    await again.store.getState().syncNow();
    expect(again.store.getState().till!.status().pendingOps).toBe(0);
    await again.store.getState().unpair();
    await again.store.getState().pair(hq.url, b.token);
    expect(again.store.getState().phase).toBe('ready');
    expect(again.store.getState().till!.replicaName).toBe(replicaNameForTill(hq.url, b.till_id));
  });

  it('unpairing with unsent sales stays refused', async () => {
    const { token } = await hq.newTill('Unpair refused', 'Europe/Berlin');
    const parts = track(deviceStore());
    await parts.store.getState().boot();
    await parts.store.getState().pair(hq.url, token);
    await sellOffline(parts);
    await parts.store.getState().unpair();
    expect(parts.store.getState().phase).toBe('ready');
    expect(parts.store.getState().notice?.text).toMatch(/not at head office yet/);
  });
});

describe('choosePairingReplica', () => {
  const till: TillAtHq = { till_id: 'AAAAAAAA-0000-4000-8000-000000000001', name: 'A', time_zone: 'UTC', hq_url: 'https://hq' };
  const other: TillAtHq = { ...till, till_id: 'bbbbbbbb-0000-4000-8000-000000000002', name: 'B' };
  const r = (dbName: string, identity: TillAtHq | null, pendingOps: number): ReplicaSummary => ({ dbName, identity, pendingOps });

  it('uses the till’s own replica (ids compared without case), else a new one named after the till', () => {
    expect(choosePairingReplica([r('x', { ...till, till_id: till.till_id.toLowerCase() }, 3)], till)).toEqual({ ok: true, dbName: 'x' });
    expect(choosePairingReplica([r('x', other, 0)], till)).toEqual({ ok: true, dbName: replicaNameForTill('https://hq', till.till_id) });
  });
  it('the same till at another HQ is another till', () => {
    expect(choosePairingReplica([r('x', { ...till, hq_url: 'https://other-hq' }, 1)], till)).toMatchObject({ ok: false });
  });
  it('an older token-named replica is the till’s own only with the same token', () => {
    expect(choosePairingReplica([r('legacy', null, 2)], till, 'legacy')).toEqual({ ok: true, dbName: 'legacy' });
    expect(choosePairingReplica([r('legacy', null, 2)], till, 'another')).toEqual({ ok: false, blocking: [r('legacy', null, 2)] });
  });
  it('of two own replicas, the one with unsent ops is used; any other with unsent ops blocks', () => {
    expect(choosePairingReplica([r('legacy', null, 0), r('x', till, 0)], till, 'legacy')).toMatchObject({ ok: true });
    expect(choosePairingReplica([r('legacy', null, 4), r('x', till, 0)], till, 'legacy')).toEqual({ ok: true, dbName: 'legacy' });
    expect(choosePairingReplica([r('x', till, 1), r('y', other, 1)], till)).toEqual({ ok: false, blocking: [r('y', other, 1)] });
  });
});

describe('gift cards sold at the till are capped by its policy', () => {
  it('more than the till allows is refused before anything is written', async () => {
    const { token } = await hq.newTill('Gift cap till', 'Europe/Berlin');
    const parts = track(deviceStore());
    await parts.store.getState().boot();
    await parts.store.getState().pair(hq.url, token);
    const till = insideOf(parts.store.getState().till);
    const leases = await till.codeLeaseCount();
    const outbox = await till.db.outbox.count();
    await expect(till.issueGiftCard(till.settings.maxGiftCardAmount + 1)).rejects.toMatchObject({ reason: 'gift_amount_too_high' } satisfies Partial<SaleError>);
    await expect(till.issueGiftCard(2 ** 53 - 1)).rejects.toBeInstanceOf(SaleError);
    expect(await till.codeLeaseCount()).toBe(leases);
    expect(await till.db.outbox.count()).toBe(outbox);
    // Through the store, the cashier reads why, with the limit in the till's money.
    expect(await parts.store.getState().sellGiftCard(till.settings.maxGiftCardAmount + 1)).toBeNull();
    expect(parts.store.getState().notice?.text).toBe('A gift card sold at this till may hold at most €500.00. Nothing was sold.');
    expect(await parts.store.getState().sellGiftCard(till.settings.maxGiftCardAmount)).not.toBeNull();
  });
});

describe('a pairing cut short, and replicas of other pairings', () => {
  it('a start that finds a token of another pairing does not open the replica with it; Enter finishes the pairing', async () => {
    const a = await hq.newTill('Cut short A', 'Europe/Berlin');
    const b = await hq.newTill('Cut short B', 'Europe/Berlin');
    const parts = track(deviceStore());
    await parts.store.getState().boot();
    await parts.store.getState().pair(hq.url, a.token);
    await parts.store.getState().till!.close();
    // Pairing as B stored B's token and was killed before the pairing itself was written.
    await parts.shell.storeToken(b.token);
    const again = track(deviceStore({ indexedDB: parts.indexedDB, shell: parts.shell, storage: parts.storage }));
    await again.store.getState().boot();
    expect(again.store.getState()).toMatchObject({ phase: 'pairing', till: null, hqUrl: hq.url, suggestedToken: b.token });
    await again.store.getState().pair(hq.url, again.store.getState().suggestedToken);
    expect(again.store.getState().phase).toBe('ready');
    expect(again.store.getState().till!.replicaName).toBe(replicaNameForTill(hq.url, b.till_id));
  });

  it('the sync panel names another pairing’s unsent sales found on the device at start', async () => {
    const { token } = await hq.newTill('Paired till', 'Europe/Berlin');
    const parts = track(deviceStore());
    // A replica of another till with an op HQ has not received (left by an older version, for instance).
    const { openReplica } = await import('../../sync/replica/db');
    const other = openReplica(replicaNameForTill(hq.url, '11111111-1111-4111-8111-111111111111'), { indexedDB: parts.indexedDB, IDBKeyRange });
    await other.open();
    await other.meta.put({ key: 'till_identity', value: { till_id: '11111111-1111-4111-8111-111111111111', name: 'Old till', time_zone: 'UTC', hq_url: hq.url } });
    await other.outbox.add({ op_id: '22222222-2222-4222-8222-222222222222', seq: 1, type: 'GIFT_ISSUE', occurred_at: '2026-12-01T10:00:00.000Z', payload: { code: 'ABCD1234', amount: 100, currency: 'EUR' } });
    other.close();
    await parts.store.getState().boot();
    // The other till's sales block pairing as this one…
    await parts.store.getState().pair(hq.url, token);
    expect(parts.store.getState().pairingError).toMatch(/made as till “Old till”/);
    // …until they are gone (here: the replica is removed by hand); then the panel has nothing to say.
    await openReplica(replicaNameForTill(hq.url, '11111111-1111-4111-8111-111111111111'), { indexedDB: parts.indexedDB, IDBKeyRange }).delete();
    await parts.store.getState().pair(hq.url, token);
    expect(parts.store.getState().phase).toBe('ready');
    await expect.poll(() => parts.store.getState().unsentElsewhere).toEqual([]);
  });

  it('a replica of an older version whose till is unknown asks for the token it was paired with', () => {
    expect(unsentSalesText([{ dbName: 'x', identity: null, pendingOps: 2 }], translatorFor('en-GB'))).toBe(
      'This device still holds 2 changes from sales that head office has not received, made under an earlier pairing that did not record its till. Pair it again with the token it was paired with, and they are sent; then it can be paired as another till.',
    );
  });

  it('the browser shell moves a token an older version kept in localStorage to IndexedDB the first time it reads it', async () => {
    const indexedDB = new (await import('fake-indexeddb')).IDBFactory();
    const device = openDevicePairing({ indexedDB, IDBKeyRange });
    const storage = memoryStorage();
    storage.setItem('voucher-till:token', 'till_old');
    const shell = createBrowserShell(fakeWindow(storage), 'test', device);
    expect(await shell.readToken()).toBe('till_old');
    expect(storage.getItem('voucher-till:token')).toBeNull();
    expect(await device.readSecret('token')).toBe('till_old');
    expect(await shell.readToken()).toBe('till_old');
  });
});

describe('HQ’s gift-card maximum caps the till’s', () => {
  it('a till set above HQ_MAX_GIFT_ISSUE sells no card HQ would refuse', async () => {
    const { till_id } = await hq.newTill('Above HQ cap', 'Europe/Berlin');
    const storage = memoryStorage();
    storage.setItem('voucher-till:settings', JSON.stringify({ ...TEST_SETTINGS, maxGiftCardAmount: 10_000_000 }));
    const parts = track(deviceStore({ storage }));
    await parts.store.getState().boot();
    await parts.store.getState().pair(hq.url, await pairingCodeFor(till_id));
    expect({ phase: parts.store.getState().phase, error: parts.store.getState().pairingError }).toEqual({ phase: "ready", error: null });
    expect(parts.store.getState().till!.settings.maxGiftCardAmount).toBe(hq.ctx.maxGiftIssue);
    await parts.store.getState().till!.close();
    // Paired again with the token the code gave (GET /v1/tills/me says HQ's maximum too).
    const token = (parts.shell as ReturnType<typeof fakeShell>).token!;
    const again = track(deviceStore({ indexedDB: parts.indexedDB, storage }));
    await again.store.getState().boot();
    await again.store.getState().pair(hq.url, token);
    expect(again.store.getState().till!.settings.maxGiftCardAmount).toBe(hq.ctx.maxGiftIssue);
  });
});
