// Pairing a till by code, and a till paired again on new hardware: its fresh replica must continue
// HQ's numbering of the till's ops.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TicketSchema } from '../../core/ticket';
import { redeemPairingCode } from '../../sync/engine/hq-client';
import { SyncError } from '../../sync/engine/sync-error';
import { openTillInternals as openTill } from '../../sync/till';
import { adminCreate, newTill, startLiveHq, type LiveHq } from '../../testkit/till-harness';

const ticket = TicketSchema.parse({ currency: 'EUR', lines: [{ product_id: 'COFFEE', quantity: 1, unit_price: 1299, tax_rate: 19 }] });

describe('pairing', () => {
  let hq: LiveHq;
  beforeAll(async () => {
    hq = await startLiveHq();
  }, 60_000);
  afterAll(async () => hq?.close());

  const openOnNewDevice = (token: string, name: string) =>
    openTill({ hqUrl: hq.url, token, dbName: name, liveUpdates: false, settings: { timeZone: 'Europe/Berlin', currency: 'EUR' }, replica: { indexedDB: new IDBFactory(), IDBKeyRange } });

  async function sellWithVoucher(till: Awaited<ReturnType<typeof openOnNewDevice>>) {
    const v = await adminCreate(hq, { type: 'DISCOUNT_VOUCHER', currency: 'EUR', discount: { type: 'AMOUNT', amount_off: 100 } });
    await till.syncNow();
    const row = await till.completeTicket({ ticket, codes: [v.code], payments: [{ method: 'CARD', amount: 1199 }] });
    await till.syncNow();
    return till.db.redemptions.where('ticket_id').equals(row.id).first();
  }

  it('a code typed at a new till gives it a token it syncs with; the code works once', async () => {
    const { till_id } = await hq.newTill('Back till');
    const { pairing_code } = (await hq.admin({ method: 'POST', url: `/v1/tills/${till_id}/pairing-code` })).json();
    const paired = await redeemPairingCode({ baseUrl: hq.url, code: pairing_code });
    expect(paired).toMatchObject({ till_id, name: 'Back till', time_zone: 'Europe/Berlin' });

    const till = await openOnNewDevice(paired.token, 'paired-by-code');
    await till.initialLoad();
    expect(await sellWithVoucher(till)).toMatchObject({ status: 'ACCEPTED' });
    await till.close();

    const again = await redeemPairingCode({ baseUrl: hq.url, code: pairing_code }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(SyncError);
    expect(again).toMatchObject({ reason: 'rejected', details: { status: 404, code: 'pairing_code_invalid' } });
  });

  it('a till paired again on a fresh replica numbers its ops after the ones HQ already has', async () => {
    const first = await newTill(hq);
    await first.initialLoad();
    expect(await sellWithVoucher(first)).toMatchObject({ status: 'ACCEPTED', seq: 1 });
    await first.close();

    // New hardware, same till: a fresh replica, the same token.
    const second = await openOnNewDevice(first.token, 'same-till-new-device');
    await second.initialLoad();
    const redemption = await sellWithVoucher(second);
    expect(redemption).toMatchObject({ status: 'ACCEPTED', seq: 2 });
    expect(second.status()).toMatchObject({ pendingOps: 0, lastError: null });
    await second.close();
  });
});
