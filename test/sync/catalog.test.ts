// The till keeps its product catalog in memory (sync/replica/catalog.ts) so a product scan never waits
// on IndexedDB; these tests hold it to following HQ and other windows, and to the IndexedDB fallback.
import { IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openReplica } from '../../sync/replica/db';
import { newTill, startLiveHq, type LiveHq } from '../../testkit/till-harness';

const COFFEE = { name: 'Coffee', barcode: '4006381333931', unit_price: 1299, tax_rate: 7, currency: 'EUR' };

describe('in-memory product catalog', () => {
  let hq: LiveHq;
  beforeAll(async () => {
    hq = await startLiveHq();
    await hq.admin({ method: 'PUT', url: '/v1/products/COFFEE', payload: COFFEE });
    await hq.admin({ method: 'PUT', url: '/v1/products/TEA', payload: { ...COFFEE, name: 'Green tea', barcode: '5901234123457' } });
  }, 60_000);
  afterAll(async () => hq?.close());

  async function loadedTill() {
    const till = await newTill(hq);
    await till.initialLoad();
    return till;
  }

  it('answers a product scan and a product search without reading IndexedDB', async () => {
    const till = await loadedTill();
    const where = vi.spyOn(till.db.products, 'where');
    const filter = vi.spyOn(till.db.products, 'filter');
    expect(await till.lookup('4006381333931')).toMatchObject({ kind: 'product', product: { id: 'COFFEE', name: 'Coffee' } });
    expect(await till.findProducts('tea', 8)).toMatchObject([{ id: 'TEA' }]);
    expect(await till.findProducts('COFFEE', 8)).toMatchObject([{ id: 'COFFEE' }]);
    expect(await till.findProducts('3931', 8)).toMatchObject([{ id: 'COFFEE' }]);
    expect(await till.findProducts('  ', 8)).toEqual([]);
    expect(till.productName('TEA')).toBe('Green tea');
    expect(where).not.toHaveBeenCalled();
    expect(filter).not.toHaveBeenCalled();
    // An unknown barcode is still looked for in IndexedDB: the copy may trail a pull by a moment.
    expect(await till.lookup('9780201379624')).toMatchObject({ kind: 'unknown', reason: 'unknown_product' });
    expect(where).toHaveBeenCalledWith('barcode');
    await till.close();
  });

  it('finds a product under either reading of eight digits (EAN-8, UPC-E) and past a periodical add-on', async () => {
    await hq.admin({ method: 'PUT', url: '/v1/products/GUM', payload: { ...COFFEE, name: 'Chewing gum', barcode: '042100005264' } }); // UPC-A of UPC-E 04252614
    await hq.admin({ method: 'PUT', url: '/v1/products/MINTS', payload: { ...COFFEE, name: 'Mints', barcode: '012345000065' } }); // UPC-A of 01234565, which is also a valid EAN-8
    await hq.admin({ method: 'PUT', url: '/v1/products/SOAP', payload: { ...COFFEE, name: 'Soap', barcode: '12345670' } }); // an EAN-8 that is also a valid UPC-E
    const till = await loadedTill();
    expect(await till.lookup('04252614')).toMatchObject({ kind: 'product', product: { id: 'GUM' } });
    expect(await till.lookup('01234565')).toMatchObject({ kind: 'product', product: { id: 'MINTS' } });
    expect(await till.lookup(']E012345670')).toMatchObject({ kind: 'product', product: { id: 'SOAP' } });
    expect(await till.lookup('12345670')).toMatchObject({ kind: 'product', product: { id: 'SOAP' } });
    expect(await till.lookup('400638133393112')).toMatchObject({ kind: 'product', product: { id: 'COFFEE' } });
    await till.close();
  });

  it('follows HQ: new, changed, deactivated and deleted products after a sync', async () => {
    const till = await loadedTill();
    await hq.admin({ method: 'PUT', url: '/v1/products/BUN', payload: { ...COFFEE, name: 'Cinnamon bun', barcode: '9780201379624' } });
    await hq.admin({ method: 'PUT', url: '/v1/products/COFFEE', payload: { ...COFFEE, name: 'Filter coffee', unit_price: 1399 } });
    await hq.admin({ method: 'PUT', url: '/v1/products/TEA', payload: { ...COFFEE, name: 'Green tea', barcode: '5901234123457', active: false } });
    await till.syncNow();
    await vi.waitFor(() => expect(till.productName('BUN')).toBe('Cinnamon bun'));
    expect(till.productName('COFFEE')).toBe('Filter coffee');
    const where = vi.spyOn(till.db.products, 'where');
    expect(await till.lookup('9780201379624')).toMatchObject({ kind: 'product', product: { id: 'BUN' } });
    expect(await till.lookup('4006381333931')).toMatchObject({ kind: 'product', product: { unit_price: 1399 } });
    // An inactive product is still found (the screen says it is not for sale) but not offered by search.
    expect(await till.lookup('5901234123457')).toMatchObject({ kind: 'product', product: { id: 'TEA', active: false } });
    expect(await till.findProducts('tea', 8)).toEqual([]);
    expect(where).not.toHaveBeenCalled();

    const res = await hq.admin({ method: 'DELETE', url: '/v1/products/BUN' });
    expect(res.statusCode).toBeLessThan(300);
    await till.syncNow();
    await vi.waitFor(() => expect(till.productName('BUN')).toBeUndefined());
    expect(await till.lookup('9780201379624')).toMatchObject({ kind: 'unknown', reason: 'unknown_product' });
    await till.close();
  });

  it('never answers from the old copy once a write has committed: IndexedDB until the copy has caught up', async () => {
    const till = await loadedTill();
    expect(till.catalog.isCurrent()).toBe(true);
    const coffee = (await till.lookup('4006381333931')) as { product: { unit_price: number } };
    await till.db.products.update('COFFEE', { unit_price: coffee.product.unit_price + 100 });
    expect(till.catalog.isCurrent()).toBe(false);
    expect(await till.lookup('4006381333931')).toMatchObject({ product: { unit_price: coffee.product.unit_price + 100 } });
    await till.db.products.delete('TEA');
    expect(await till.lookup('5901234123457')).toMatchObject({ kind: 'unknown', reason: 'unknown_product' });
    expect(await till.findProducts('tea', 8)).toEqual([]);
    await vi.waitFor(() => expect(till.catalog.isCurrent()).toBe(true));
    expect(till.catalog.byBarcode('04006381333931')).toMatchObject({ unit_price: coffee.product.unit_price + 100 });
    await till.close();
  });

  it('follows a write committed by another connection to the same replica', async () => {
    const till = await loadedTill();
    const other = openReplica(till.db.name, { indexedDB: till.factory, IDBKeyRange });
    await other.products.put({ id: 'MUG', barcode: '04012345678901', name: 'Mug', unit_price: 900, tax_rate: 19, currency: 'EUR', active: true });
    // In one window here; in a browser the same event reaches other tabs through a BroadcastChannel.
    await vi.waitFor(() => expect(till.productName('MUG')).toBe('Mug'));
    other.close();
    await till.close();
  });
});
