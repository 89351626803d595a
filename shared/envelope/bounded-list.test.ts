// The envelope's lists report a bounded number of issues whatever their size, and the strings
// that become DynamoDB key parts are bounded in UTF-8 bytes, not characters.
import { describe, expect, it } from 'vitest';
import * as z from '../validation.ts';
import { boundedList, MAX_INVALID_ITEMS_REPORTED } from './bounded-list.ts';
import { envelopeVulnerabilitySchema, KEY_PART_BYTES } from './envelope-schema.ts';

const item = z.strictObject({ name: z.string().check(z.minLength(1)), size: z.int() });

describe('boundedList', () => {
  it('passes a valid list through as given', () => {
    const items = [
      { name: 'a', size: 1 },
      { name: 'b', size: 2 },
    ];
    expect(boundedList(item, 10).parse(items)).toEqual(items);
  });

  it('reports the first invalid items of a huge list, with their paths, and never overflows the stack', () => {
    const result = z
      .strictObject({ list: boundedList(item, 1_000_000) })
      .safeParse({ list: Array.from({ length: 300_000 }, () => ({ name: '', size: 'x', extra: 1 })) });
    expect(result.success).toBe(false);
    const paths = new Set(result.error!.issues.map((issue) => issue.path[1]));
    expect(paths.size).toBe(MAX_INVALID_ITEMS_REPORTED);
    expect(result.error!.issues[0]!.path).toEqual(['list', 0, 'name']);
  });

  it('refuses a list over its length before looking at any item', () => {
    const result = boundedList(item, 2).safeParse([1, 2, 3]);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(['Too big: expected array to have <=2 items']);
  });

  it('refuses what is not an array', () => {
    expect(boundedList(item, 2).safeParse({ length: 1 }).success).toBe(false);
  });
});

describe('key parts', () => {
  const vulnerability = { id: 'CVE-2024-1', severity: 'LOW', package: 'p', version: '1' };
  it.each([
    ['package', '😀'.repeat(KEY_PART_BYTES.packageName / 4 + 1)],
    ['id', 'é'.repeat(KEY_PART_BYTES.advisoryId / 2 + 1)],
  ])('%s is bounded in UTF-8 bytes', (field, value) => {
    expect(value.length).toBeLessThanOrEqual(KEY_PART_BYTES.packageName);
    const result = envelopeVulnerabilitySchema.safeParse({ ...vulnerability, [field]: value });
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([[field]]);
  });

  it('leaves room for the key prefixes', () => {
    // <advisory>#<package> is a sort key: ≤ 1,024 bytes.
    expect(KEY_PART_BYTES.advisoryId + 1 + KEY_PART_BYTES.packageName).toBeLessThan(1024);
  });
});
