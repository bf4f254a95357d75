// The README lists every push reason and every problem code a till or the back office can get: a value
// added to either enum without a line there fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ProblemCodeSchema, PushReasonSchema } from '../../sync/protocol';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = (title: string) => {
  const start = readme.indexOf(`**${title}**`);
  expect(start, `README has a "${title}" section`).toBeGreaterThan(-1);
  return readme.slice(start, readme.indexOf('\n\n', readme.indexOf('|---', start)));
};

describe('the README lists', () => {
  it.each([
    ['Push reasons', PushReasonSchema.options],
    ['Problem codes', ProblemCodeSchema.options],
  ] as const)('every value of its %s', (title, values) => {
    const text = section(title);
    expect(values.filter((v) => !text.includes(`\`${v}\``))).toEqual([]);
  });
});
