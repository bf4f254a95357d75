// HQ's edge (issue 11): every error HQ sends — its own, Fastify's and Node's — is problem+json; JSON
// bodies nested too deep are refused before parsing; the OpenAPI document declares every status and
// content type HQ answers with. Errors Node's parser raises only happen on a real socket: those are
// sent over 127.0.0.1 with node:net, each bounded by a socket timeout.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonDeeperThan, MAX_JSON_DEPTH } from '../../hq/server';
import { ADMIN_TOKEN, BACKENDS, startHq, type Hq } from '../../testkit/hq-harness';
import { expectProblem, TestTill, uniqueCode } from './helpers';

type Raw = { status: number; headers: Record<string, string>; body: string };

/** Sends `request` as is on a fresh connection and reads until the server closes it (or 5 s pass). */
function rawRequest(port: number, request: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    const chunks: Buffer[] = [];
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer within 5 s')));
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split(/\r\n\r\n/, 2) as [string?, string?];
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
  });
}

const nested = (depth: number, leaf = '1') => '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
const percent = { type: 'DISCOUNT_VOUCHER', currency: 'EUR', discount: { type: 'PERCENT', percent_off: 10 } };

describe('jsonDeeperThan', () => {
  it('counts object and array nesting and ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonDeeperThan('{"a":[{"b":[]}]}', 4)).toBe(false);
    expect(jsonDeeperThan('{"a":[{"b":[[]]}]}', 4)).toBe(true);
    expect(jsonDeeperThan(JSON.stringify({ s: '[[[[[[{{{{{' }), 1)).toBe(false);
    expect(jsonDeeperThan(JSON.stringify({ s: '\\"[[[[', t: 'x\\' }), 1)).toBe(false);
    expect(jsonDeeperThan(JSON.stringify({ s: '"', t: [[1]] }), 2)).toBe(true);
    expect(jsonDeeperThan(`[${'"]",'.repeat(10)}1]`, 1)).toBe(false);
    expect(jsonDeeperThan(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(jsonDeeperThan(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
  });

  it('scans a megabyte of brackets in one pass and answers by the limit (its speed is measured by the benches)', () => {
    expect(jsonDeeperThan('['.repeat(1_000_000), 2_000_000)).toBe(false);
    expect(jsonDeeperThan('['.repeat(1_000_000), 999_999)).toBe(true);
  });
});

describe.each(BACKENDS)('HQ edge on %s', (backend) => {
  let hq: Hq;
  let till: TestTill;
  let port: number;
  let doc: { paths: Record<string, Record<string, { security?: unknown[]; parameters?: { in: string; name: string; schema: { maxLength?: number } }[]; requestBody?: unknown; responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown> }> }>> };
  const voucherTotal = async () => (await hq.admin({ method: 'GET', url: '/v1/vouchers?limit=1' })).json().total as number;
  /** Whether the OpenAPI document declares `status` for the operation. */
  const documented = (method: string, path: string, status: number) => Boolean(doc.paths[path]?.[method.toLowerCase()]?.responses[String(status)]);

  beforeAll(async () => {
    hq = await startHq(backend);
    till = await TestTill.create(hq);
    doc = (await hq.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    await hq.app.listen({ port: 0, host: '127.0.0.1' });
    port = (hq.app.server.address() as net.AddressInfo).port;
  }, 60_000);
  afterAll(async () => hq?.close());

  describe('path parameters', () => {
    it('are judged by the route schema up to the longest the OpenAPI allows and beyond: 400 with the field, never a bare 414', async () => {
      const checked: string[] = [];
      for (const [path, ops] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(ops)) {
          const params = (op.parameters ?? []).filter((p) => p.in === 'path');
          if (!params.length) continue;
          const url = (value: string) => params.reduce((u, p) => u.replace(`{${p.name}}`, value), path);
          const max = Math.max(...params.map((p) => p.schema.maxLength ?? 36));
          const inject = (value: string) => hq.admin({ method: method.toUpperCase() as 'GET', url: url(value), ...(method === 'get' || method === 'delete' ? {} : { payload: {} }) });
          // At the limit the length is fine (whatever else the route says, it is not about length or a 414).
          const atLimit = await inject('A'.repeat(max));
          expect(atLimit.statusCode, `${method} ${path}`).not.toBe(414);
          expect(JSON.stringify(atLimit.json().errors ?? []), `${method} ${path}`).not.toMatch(/params\.[a-z_]+","message":"Too big/);
          // 101–128 characters used to be a 414 from the router; any length past the schema is a 400 naming the field.
          for (const length of [max + 1, 101, 128, 129, 1024, 1025, 4000]) {
            if (length <= max) continue;
            const res = await inject('A'.repeat(length));
            const body = expectProblem(res, 400, { what: `${method} ${path} ${length}` });
            expect(body.errors?.[0]?.path, `${method} ${path} ${length}`).toMatch(/^params/);
            expect(documented(method, path, 400)).toBe(true);
          }
          checked.push(`${method} ${path}`);
        }
      }
      expect(checked.length).toBeGreaterThanOrEqual(8);
    });

    it('answers a URL that is not valid percent-encoding with 400 problem+json (inject and socket)', async () => {
      for (const url of ['/v1/vouchers/%E0%A4%A', '/v1/vouchers/%FF', '/v1/tills%E0%A4%A', '/v1/vouchers/%']) {
        expectProblem(await hq.admin({ method: 'GET', url }), 400, { code: 'invalid_url' });
      }
      const res = await rawRequest(port, 'GET /v1/vouchers/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(res.body)).toMatchObject({ status: 400, code: 'invalid_url' });
    });
  });

  describe('errors from Node and the router', () => {
    it('431 for headers over the limit and for a URL longer than them, problem+json on the socket', async () => {
      for (const request of [
        `GET /v1/tills/me HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
        `GET /v1/vouchers/${'A'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      ]) {
        const res = await rawRequest(port, request);
        expect(res.status).toBe(431);
        expect(res.headers['content-type']).toBe('application/problem+json');
        expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.body));
        expect(JSON.parse(res.body)).toMatchObject({ status: 431, code: 'headers_too_large', title: 'Request Header Fields Too Large' });
      }
    });

    it('400 problem+json for a request that is not HTTP', async () => {
      for (const request of ['HELLO\r\n\r\n', 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n', 'GET /v1/tills/me HTTP/1.1\r\nBad Header\r\n\r\n']) {
        const res = await rawRequest(port, request);
        expect(res.status, request).toBe(400);
        expect(res.headers['content-type']).toBe('application/problem+json');
        expect(JSON.parse(res.body)).toMatchObject({ status: 400, code: 'bad_request' });
      }
    });

    it('405 with Allow for a method a path does not take, 404 for a path HQ does not serve', async () => {
      const patch = await hq.admin({ method: 'PATCH', url: '/v1/vouchers', payload: {} });
      expectProblem(patch, 405, { code: 'method_not_allowed' });
      expect(String(patch.headers.allow).split(', ').sort()).toEqual(['GET', 'HEAD', 'POST']);
      expectProblem(await hq.admin({ method: 'PUT', url: '/v1/vouchers/SOME-CODE/cancel', payload: {} }), 405, { code: 'method_not_allowed' });
      expectProblem(await hq.admin({ method: 'GET', url: '/v1/vouchers/SOME-CODE/nothing' }), 404, { code: 'route_not_found' });
      const res = await rawRequest(port, 'PROPFIND /v1/vouchers HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      expect([404, 405]).toContain(res.status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    });
  });

  describe('CORS preflight', () => {
    const preflights = [
      { origin: 'app://till', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      { origin: 'app://till', 'access-control-request-method': 'POST', 'content-type': 'text/plain' },
      { 'content-type': 'text/plain' },
      { 'content-type': 'application/xml', origin: 'http://elsewhere.example' },
      {},
    ];

    it('is answered 204 whatever its content type or missing headers (inject)', async () => {
      for (const headers of preflights) {
        const res = await hq.app.inject({ method: 'OPTIONS', url: '/v1/sync/push', headers, payload: 'not json at all' });
        expect(res.statusCode, JSON.stringify(headers)).toBe(204);
        expect(res.body).toBe('');
      }
      const allowed = await hq.app.inject({ method: 'OPTIONS', url: '/v1/vouchers', headers: preflights[0] });
      expect(allowed.headers['access-control-allow-origin']).toBe('*');
      expect(String(allowed.headers['access-control-allow-headers'])).toMatch(/authorization/);
    });

    it('is answered 204 on a real socket, a text/plain body included', async () => {
      for (const headers of preflights) {
        const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
        const res = await rawRequest(port, `OPTIONS /v1/sync/push HTTP/1.1\r\nHost: x\r\n${lines}Content-Length: 5\r\nConnection: close\r\n\r\nhello`);
        expect(res.status, JSON.stringify(headers)).toBe(204);
      }
    });
  });

  describe('JSON bodies', () => {
    it('refuses nesting deeper than the limit before parsing — 65, 4,000, 6,000 and 100,000 levels — and stores nothing', async () => {
      const before = await voucherTotal();
      for (const depth of [MAX_JSON_DEPTH, 4_000, 6_000, 100_000]) {
        const payload = `{"type":"DISCOUNT_VOUCHER","currency":"EUR","discount":{"type":"PERCENT","percent_off":10},"metadata":${nested(depth)}}`;
        const res = await hq.admin({ method: 'POST', url: '/v1/vouchers', headers: { 'content-type': 'application/json' }, payload });
        const body = expectProblem(res, 400, { code: 'invalid_json' });
        expect(body.errors).toEqual([{ path: 'body', message: `nested deeper than ${MAX_JSON_DEPTH} levels` }]);
      }
      // Arrays count too, and the till's push is guarded the same way.
      const ops = `{"ops":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
      expectProblem(await hq.as(till.token, { method: 'POST', url: '/v1/sync/push', headers: { 'content-type': 'application/json' }, payload: ops }), 400, { code: 'invalid_json' });
      expect(await voucherTotal()).toBe(before);
    });

    it('leaves JSON within the limit to the schemas, brackets inside strings do not count', async () => {
      // 63 levels of metadata inside the body's own object: parsed, then refused by the schema, not as JSON.
      const payload = `{"type":"DISCOUNT_VOUCHER","currency":"EUR","discount":{"type":"PERCENT","percent_off":10},"metadata":${nested(MAX_JSON_DEPTH - 1)}}`;
      const deep = await hq.admin({ method: 'POST', url: '/v1/vouchers', headers: { 'content-type': 'application/json' }, payload });
      expect(deep.statusCode).toBe(400);
      expect(deep.json().code).not.toBe('invalid_json');
      const code = uniqueCode('BRK');
      const ok = await hq.admin({ method: 'POST', url: '/v1/vouchers', payload: { ...percent, code, metadata: { note: '{['.repeat(2000) + '\\"[' } } });
      expect(ok.statusCode, ok.body).toBe(201);
      expect((await hq.admin({ method: 'GET', url: `/v1/vouchers/${code}` })).json().metadata.note).toBe('{['.repeat(2000) + '\\"[');
    });

    it('keeps the __proto__ and constructor.prototype protection of Fastify\'s parser', async () => {
      const before = await voucherTotal();
      for (const payload of [
        `{"type":"DISCOUNT_VOUCHER","currency":"EUR","discount":{"type":"PERCENT","percent_off":10},"metadata":{"__proto__":{"polluted":true}}}`,
        `{"type":"DISCOUNT_VOUCHER","currency":"EUR","discount":{"type":"PERCENT","percent_off":10},"metadata":{"constructor":{"prototype":{"polluted":true}}}}`,
      ]) {
        expectProblem(await hq.admin({ method: 'POST', url: '/v1/vouchers', headers: { 'content-type': 'application/json' }, payload }), 400, { code: 'invalid_json' });
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(await voucherTotal()).toBe(before);
    });

    it('numbers past what a column or a double holds end as 400, never 500', async () => {
      const before = await voucherTotal();
      for (const n of ['1e400', '-1e400', '9223372036854775808', '9007199254740993', '1e308']) {
        const answers = await Promise.all([
          hq.admin({ method: 'POST', url: '/v1/vouchers', headers: { 'content-type': 'application/json' }, payload: `{"type":"GIFT_VOUCHER","currency":"EUR","gift":{"amount":${n}}}` }),
          hq.admin({ method: 'POST', url: '/v1/vouchers', headers: { 'content-type': 'application/json' }, payload: `{"type":"DISCOUNT_VOUCHER","currency":"EUR","discount":{"type":"AMOUNT","amount_off":${n}},"redemption":{"quantity":${n}}}` }),
          hq.as(till.token, {
            method: 'POST',
            url: '/v1/validations',
            headers: { 'content-type': 'application/json' },
            payload: `{"codes":["X-1"],"ticket":{"currency":"EUR","lines":[{"product_id":"P","quantity":${n},"unit_price":${n}}]}}`,
          }),
          hq.as(till.token, { method: 'GET', url: `/v1/sync/changes?checkpoint=${n}&limit=${n}` }),
        ]);
        for (const res of answers) expectProblem(res, 400);
      }
      // 2^31 fits a gift amount (bigint) but not a redemption quantity (integer column).
      const quantity = await hq.admin({ method: 'POST', url: '/v1/vouchers', payload: { ...percent, redemption: { quantity: 2 ** 31 } } });
      expect(expectProblem(quantity, 400).errors?.map((e) => e.path)).toEqual(['body.redemption.quantity']);
      expect(await voucherTotal()).toBe(before);
    });
  });

  describe('till-only sync routes', () => {
    it('refuse the admin token with 403 problem+json; a till still reads its feed', async () => {
      expectProblem(await hq.admin({ method: 'GET', url: '/v1/sync/changes?checkpoint=0&limit=1' }), 403, { code: 'forbidden' });
      expectProblem(await hq.admin({ method: 'GET', url: '/v1/sync/stream' }), 403, { code: 'forbidden' });
      expectProblem(await hq.admin({ method: 'POST', url: '/v1/sync/push', payload: { ops: [] } }), 403, { code: 'forbidden' });
      expect((await hq.as(till.token, { method: 'GET', url: '/v1/sync/changes?checkpoint=0&limit=1' })).statusCode).toBe(200);
    });
  });

  describe('the OpenAPI document says what HQ answers', () => {
    type Op = (typeof doc.paths)[string][string];
    const operations = (): [string, string, Op][] => Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]): [string, string, Op] => [method, path, op]));

    it('declares every error as application/problem+json, and each status the edge adds where it applies', () => {
      const ops = operations();
      expect(ops.length).toBeGreaterThanOrEqual(20);
      for (const [method, path, op] of ops) {
        const where = `${method.toUpperCase()} ${path}`;
        const statuses = Object.keys(op.responses).map(Number);
        for (const status of statuses.filter((s) => s >= 400)) {
          expect(Object.keys(op.responses[status]!.content ?? {}), `${where} ${status}`).toEqual(['application/problem+json']);
        }
        const authenticated = op.security === undefined; // the document's default: a bearer token
        if (authenticated) expect(statuses, where).toEqual(expect.arrayContaining([401, 403, 429]));
        if (op.requestBody || ['post', 'put', 'delete'].includes(method)) expect(statuses, where).toEqual(expect.arrayContaining([400, 413, 415]));
        if (op.requestBody || op.parameters?.length) expect(statuses, where).toContain(400);
        if (op.parameters?.some((p) => p.in === 'path')) expect(statuses, where).toContain(404);
        if (method === 'delete') {
          expect(op.responses['204'], where).toBeDefined();
          expect(op.responses['204']!.content, where).toBeUndefined();
          expect(statuses.filter((s) => s < 300), where).toEqual([204]);
        }
        if (op.responses['429']) expect(Object.keys(op.responses['429'].headers ?? {}), where).toContain('retry-after');
      }
      expect(doc.paths['/v1/pairings']!.post!.security).toEqual([]);
      expect(Object.keys(doc.paths['/v1/pairings']!.post!.responses)).toContain('429');
    });

    it('declares the statuses the edge answers with, for the operation that answered', async () => {
      const cases: [string, string, string, () => Promise<{ statusCode: number; headers: Record<string, unknown>; body: string }>][] = [
        ['POST', '/v1/vouchers/{code}/cancel', '415', () => hq.admin({ method: 'POST', url: '/v1/vouchers/X-1/cancel', headers: { 'content-type': 'text/plain' }, payload: 'x' })],
        ['DELETE', '/v1/vouchers/{code}', '415', () => hq.admin({ method: 'DELETE', url: '/v1/vouchers/X-1', headers: { 'content-type': 'text/xml' }, payload: '<x/>' })],
        ['POST', '/v1/vouchers', '413', () => hq.admin({ method: 'POST', url: '/v1/vouchers', payload: { ...percent, label: 'x'.repeat(2 * 1024 * 1024) } })],
        ['POST', '/v1/vouchers/{code}/cancel', '400', () => hq.admin({ method: 'POST', url: '/v1/vouchers/X-1/cancel', headers: { 'content-type': 'application/json' }, payload: '{"a":' })],
        ['GET', '/v1/sync/changes', '401', () => hq.app.inject({ method: 'GET', url: '/v1/sync/changes' })],
        ['GET', '/v1/sync/changes', '403', () => hq.admin({ method: 'GET', url: '/v1/sync/changes' })],
        ['PUT', '/v1/products/{id}', '403', () => hq.as(till.token, { method: 'PUT', url: '/v1/products/P-1', payload: {} })],
      ];
      for (const [method, path, status, send] of cases) {
        expectProblem(await send(), Number(status));
        expect(documented(method, path, Number(status)), `${method} ${path} ${status}`).toBe(true);
      }
    });
  });
});

describe.each(BACKENDS)('HQ closing on %s', (backend) => {
  it('answers a request that arrives while HQ closes with 503 problem+json and closes the connection', async () => {
    const hq = await startHq(backend);
    try {
      await hq.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = hq.app.server.address() as net.AddressInfo;
      // Known moment: HQ has run its preClose hooks and stops accepting connections.
      const serverClosing = new Promise<void>((resolve) => {
        const close = hq.app.server.close.bind(hq.app.server);
        hq.app.server.close = ((callback?: (error?: Error) => void) => {
          resolve();
          return close(callback);
        }) as typeof hq.app.server.close;
      });
      const socket = net.connect(port, '127.0.0.1');
      socket.setTimeout(5000, () => socket.destroy());
      let received = '';
      socket.on('data', (d) => (received += d));
      const socketClosed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      // A request whose body has not arrived keeps the connection busy, so closing HQ waits for it.
      const seen = new Promise<void>((resolve) => hq.app.server.once('request', () => resolve()));
      socket.write(`POST /v1/vouchers/NOPE-1/cancel HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ADMIN_TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n`);
      await seen;
      const closed = hq.app.close();
      await serverClosing;
      socket.write(`{}GET /v1/tills/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ADMIN_TOKEN}\r\n\r\n`);
      await socketClosed;
      await closed;
      const answers = received.split(/(?=HTTP\/1\.1 )/);
      expect(answers.map((a) => a.slice(9, 12))).toEqual(['404', '503']);
      expect(answers[1]).toMatch(/content-type: application\/problem\+json/i);
      expect(answers[1]).toMatch(/connection: close/i);
      expect(JSON.parse(answers[1]!.split('\r\n\r\n')[1]!)).toMatchObject({ status: 503, code: 'shutting_down' });
    } finally {
      await hq.close();
    }
  }, 60_000);
});
