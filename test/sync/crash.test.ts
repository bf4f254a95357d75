// Crash + restart at each point of a sale's life. A crash closes the till's IndexedDB connection at
// once; the restarted process opens a new till on the same device (same fake IDBFactory, database
// name and token). Whatever the point, after healing and syncing nothing is lost or doubled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLiveHq, type LiveHq } from '../../testkit/till-harness';
import { createFaultFetch, holdFault, isChanges, isPush, NONE, scripted } from '../../testkit/fault-fetch';
import { crashAndReopen, hqOps, newFaultyTill, plain, reopenTill, type FaultyTill } from '../../testkit/sim/tills';
import { checkQuiescent, collectOps, syncToQuiescence, type OpLog } from '../../testkit/sim/invariants';
import { giftCard, sell, singleUse, ticketOf } from '../../testkit/sim/shop';
import type { Voucher } from '../../core/voucher';
import { getVoucher } from '../../sync/replica/voucher-store';

const ticket = ticketOf([{ quantity: 2, unit_price: 1000 }]); // 20.00

/** What a sale could have left behind in the replica. */
async function saleTraces(till: FaultyTill, ticketId: string) {
  return {
    ticket: (await till.db.tickets.get(ticketId)) ?? null,
    redemptions: await till.db.redemptions.where('ticket_id').equals(ticketId).count(),
    outbox: await till.db.outbox.count(),
    nextSeq: (await till.db.meta.get('next_seq'))?.value ?? null,
  };
}

describe('crash and restart at each point of a sale (real HQ)', () => {
  let hq: LiveHq;
  beforeAll(async () => {
    hq = await startLiveHq();
  }, 120_000);
  afterAll(async () => hq?.close());

  /** A loaded till, a single-use voucher D (3.00 off) and a gift card G (10.00). */
  async function scene() {
    const d = await singleUse(hq, 300);
    const g = await giftCard(hq, 1000);
    const till = await newFaultyTill(hq, { net: createFaultFetch() });
    await till.initialLoad();
    await till.net.idle();
    const replicaBefore = plain({ d: await getVoucher(till.db, d.code), g: await getVoucher(till.db, g.code) });
    // D takes 3.00 off 20.00, G pays 10.00 of the 17.00 left.
    const expectations = { discounts: new Map([[d.code, 1]]), gifts: new Set([g.code]), giftBalances: new Map([[g.code, 0]]) };
    return { d, g, till, replicaBefore, expectations, log: new Map() as OpLog };
  }

  async function unchanged(till: FaultyTill, d: Voucher, g: Voucher, before: unknown) {
    expect(plain({ d: await getVoucher(till.db, d.code), g: await getVoucher(till.db, g.code) })).toEqual(before);
  }

  describe('1. before the local commit: nothing of the sale is written', () => {
    it('the database goes away while completeTicket is starting', async () => {
      const { d, g, till, replicaBefore } = await scene();
      const sale = till.completeTicket({ ticketId: 'crash-1a', ticket, codes: [d.code, g.code], payments: [{ method: 'CARD', amount: 700 }] });
      till.db.close();
      await expect(sale).rejects.toThrow();
      const again = await reopenTill(hq, till);
      expect(await saleTraces(again, 'crash-1a')).toEqual({ ticket: null, redemptions: 0, outbox: 0, nextSeq: null });
      await unchanged(again, d, g, replicaBefore);
      expect(await again.syncNow()).toMatchObject({ online: true, pendingOps: 0 });
      expect(again.net.calls.filter(isPush)).toEqual([]); // nothing to send
      await again.close();
    });

    it('the transaction fails at its last write (the outbox): the voucher, ticket and redemption writes before it are undone too', async () => {
      const { d, g, till, replicaBefore } = await scene();
      const original = till.db.outbox.bulkAdd.bind(till.db.outbox);
      till.db.outbox.bulkAdd = (() => Promise.reject(new Error('injected: disk full'))) as unknown as typeof original;
      await expect(sell(till, [d.code, g.code], ticket, { ticketId: 'crash-1b' })).rejects.toThrow('disk full');
      till.db.outbox.bulkAdd = original;
      expect(await saleTraces(till, 'crash-1b')).toEqual({ ticket: null, redemptions: 0, outbox: 0, nextSeq: null });
      await unchanged(till, d, g, replicaBefore);
      const again = await crashAndReopen(hq, till);
      expect(await saleTraces(again, 'crash-1b')).toEqual({ ticket: null, redemptions: 0, outbox: 0, nextSeq: null });
      await unchanged(again, d, g, replicaBefore);
      await again.close();
    });

    it('the database closes in the middle of the sale transaction: all of it or none of it', async () => {
      const { d, g, till, replicaBefore, expectations, log } = await scene();
      const original = till.db.redemptions.bulkAdd.bind(till.db.redemptions);
      till.db.redemptions.bulkAdd = ((...args: Parameters<typeof original>) => {
        till.db.close(); // the crash, between the ticket write and the redemption/outbox writes
        return original(...args);
      }) as typeof original;
      const result = await sell(till, [d.code, g.code], ticket, { ticketId: 'crash-1c' }).then(
        () => 'committed' as const,
        () => 'failed' as const,
      );
      // IndexedDB lets a transaction that is under way finish when its connection closes, so the sale
      // commits; a power cut that aborts it instead is the previous test. Either way: all or nothing.
      expect(result).toBe('committed');
      const again = await reopenTill(hq, till);
      const traces = await saleTraces(again, 'crash-1c');
      if (result === 'failed') {
        expect(traces).toEqual({ ticket: null, redemptions: 0, outbox: 0, nextSeq: null });
        await unchanged(again, d, g, replicaBefore);
      } else {
        expect(traces).toMatchObject({ redemptions: 2, outbox: 2, nextSeq: 3 });
        expect(traces.ticket).not.toBeNull();
        await collectOps(again, log);
        await syncToQuiescence([again]);
        await checkQuiescent(hq, [again], log, expectations);
      }
      await again.close();
    });
  });

  it('2. after the local commit, before any push: after restart the sale is pushed and applied exactly once', async () => {
    const { d, g, till, expectations, log } = await scene();
    const sold = await sell(till, [d.code, g.code], ticket, { ticketId: 'crash-2' });
    expect(sold?.applied).toEqual([d.code, g.code]);
    await collectOps(till, log);
    expect(log.size).toBe(2);
    const again = await crashAndReopen(hq, till);
    expect(await saleTraces(again, 'crash-2')).toMatchObject({ redemptions: 2, outbox: 2, nextSeq: 3 });
    expect((await getVoucher(again.db, d.code))?.status).toBe('REDEEMED'); // the local effect survived
    expect((await hqOps(hq, [...log.keys()])).size).toBe(0); // HQ has not seen it yet
    expect(await again.syncNow()).toMatchObject({ online: true, pendingOps: 0 });
    await syncToQuiescence([again]);
    await checkQuiescent(hq, [again], log, expectations);
    await again.close();
  });

  describe('3. after HQ committed, before the till saw the answer: the restarted till gets the stored result (replay)', () => {
    it('the answer is lost on the way back, then the till crashes', async () => {
      const { d, g, till, expectations, log } = await scene();
      await sell(till, [d.code, g.code], ticket, { ticketId: 'crash-3a' });
      await collectOps(till, log);
      till.net.setPlan(scripted([{ kind: 'drop-response' }], { match: isPush }));
      expect(await till.syncNow()).toMatchObject({ online: false, pendingOps: 2 });
      const atHq = await hqOps(hq, [...log.keys()]);
      expect([...atHq.values()].map((r) => [r.outcome, r.n])).toEqual([['ACCEPTED', 1], ['ACCEPTED', 1]]);
      till.net.setPlan(() => NONE);
      const again = await crashAndReopen(hq, till);
      expect(await again.db.outbox.count()).toBe(2);
      const from = again.net.calls.length;
      expect(await again.syncNow()).toMatchObject({ online: true, pendingOps: 0, lastError: null });
      const replay = again.net.calls.slice(from).filter(isPush);
      expect(replay).toHaveLength(1);
      expect(replay[0]!.reachedHq).toBe(1);
      expect(await hqOps(hq, [...log.keys()])).toEqual(atHq); // the replay applied nothing new
      expect((await again.db.redemptions.toArray()).map((r) => r.status)).toEqual(['ACCEPTED', 'ACCEPTED']);
      await syncToQuiescence([again]);
      await checkQuiescent(hq, [again], log, expectations);
      await again.close();
    });

    it('the till crashes while the answer is on its way (HQ committed, the result never applied)', async () => {
      const { d, g, till, expectations, log } = await scene();
      await sell(till, [d.code, g.code], ticket, { ticketId: 'crash-3b' });
      await collectOps(till, log);
      // HQ answers; the answer is held on the way until the till has crashed.
      const hold = holdFault('after');
      till.net.setPlan(scripted([hold.fault], { match: isPush }));
      const cycle = till.syncNow();
      await hold.held;
      till.db.close(); // crash: the answer arrives at a dead process
      hold.release();
      const status = await cycle;
      expect(status.lastError).not.toBeNull();
      till.net.setPlan(() => NONE);
      const again = await reopenTill(hq, till);
      expect(await again.db.outbox.count()).toBe(2);
      expect((await again.db.redemptions.toArray()).map((r) => r.status)).toEqual(['PENDING', 'PENDING']);
      const atHq = await hqOps(hq, [...log.keys()]);
      expect(atHq.size).toBe(2);
      await syncToQuiescence([again]);
      expect(await hqOps(hq, [...log.keys()])).toEqual(atHq);
      await checkQuiescent(hq, [again], log, expectations);
      await again.close();
    });

    it('another till redeems the same single-use voucher in between: the replayed result is still the original (ACCEPTED), the other till conflicts', async () => {
      const { d, g, till, expectations, log } = await scene();
      const other = await newFaultyTill(hq, { name: 'Other' });
      await other.initialLoad();
      await sell(till, [d.code, g.code], ticket, { ticketId: 'crash-3c' });
      await collectOps(till, log);
      till.net.setPlan(scripted([{ kind: 'drop-response' }], { match: isPush }));
      await till.syncNow();
      till.net.setPlan(() => NONE);
      await sell(other, [d.code], ticket);
      await collectOps(other, log);
      await other.syncNow();
      expect(await other.conflicts()).toMatchObject([{ code: d.code, winner: { till_id: till.tillId } }]);
      const again = await crashAndReopen(hq, till);
      await syncToQuiescence([again, other]);
      expect(await again.conflicts()).toEqual([]);
      await checkQuiescent(hq, [again, other], log, expectations);
      await Promise.all([again.close(), other.close()]);
    });
  });

  it('4. after the result is applied: the restarted till re-sends nothing and nothing is doubled', async () => {
    const { d, g, till, expectations, log } = await scene();
    await sell(till, [d.code, g.code], ticket, { ticketId: 'crash-4' });
    await collectOps(till, log);
    expect(await till.syncNow()).toMatchObject({ online: true, pendingOps: 0 });
    const atHq = await hqOps(hq, [...log.keys()]);
    const again = await crashAndReopen(hq, till);
    const from = again.net.calls.length;
    await syncToQuiescence([again]);
    expect(again.net.calls.slice(from).filter(isPush)).toEqual([]);
    expect(again.net.calls.slice(from).filter(isChanges).length).toBeGreaterThan(0);
    expect(await hqOps(hq, [...log.keys()])).toEqual(atHq);
    await checkQuiescent(hq, [again], log, expectations);
    await again.close();
  });

  it('a crash between two pages of a pull resumes from the page that was applied', async () => {
    const codes = await Promise.all([1, 2, 3, 4].map(() => singleUse(hq, 100)));
    const till = await newFaultyTill(hq, { pullPageSize: 1 });
    await till.initialLoad();
    for (const v of codes) await hq.admin({ method: 'PUT', url: `/v1/vouchers/${v.code}`, payload: { label: 'changed' } });
    let pages = 0;
    till.net.setPlan((call) => (isChanges(call) && ++pages === 3 ? { kind: 'drop-request' } : NONE));
    await till.syncNow();
    const checkpoint = (await till.db.meta.get('checkpoint'))?.value;
    const again = await crashAndReopen(hq, till);
    expect((await again.db.meta.get('checkpoint'))?.value).toBe(checkpoint);
    const from = again.net.calls.length;
    await again.syncNow();
    expect(new URL(again.net.calls[from]!.url).searchParams.get('checkpoint')).toBe(checkpoint);
    for (const v of codes) expect((await getVoucher(again.db, v.code))?.label).toBe('changed');
    await syncToQuiescence([again]);
    await checkQuiescent(hq, [again], new Map(), { discounts: new Map(), gifts: new Set() });
    await again.close();
  });
});
