// One form for refused values' problems as text (core/zod-issues.ts).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { issuePath, issuesText } from '../../core/zod-issues';

describe('zod issues as text', () => {
  it('joins a path with dots, indices included; the value itself is the empty path', () => {
    expect(issuePath(['ticket', 'lines', 0, 'unit_price'])).toBe('ticket.lines.0.unit_price');
    expect(issuePath([])).toBe('');
  });

  it('writes "path: message; path: message", naming an empty path by `whole`', () => {
    const schema = z.strictObject({ code: z.string().min(4), lines: z.array(z.object({ quantity: z.int() })) });
    const parsed = schema.safeParse({ code: 'AB', lines: [{ quantity: 1.5 }], extra: 1 });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues).toHaveLength(3);
    expect(issuesText(parsed.error!.issues, '(row)')).toMatch(/^code: [^;]+; lines\.0\.quantity: [^;]+; \(row\): [^;]*"extra"$/);
  });

  it('takes paths already written as text, and the default stand-in', () => {
    expect(issuesText([{ path: 'body.time_zone', message: 'bad' }, { path: '', message: 'not an object' }])).toBe('body.time_zone: bad; (value): not an object');
    expect(issuesText([])).toBe('');
  });
});
