import { describe, expect, it } from 'vitest';
import { parseFixture } from '../adapter-harness.ts';
import { parseDockle } from './adapter.ts';

describe('dockle adapter', () => {
  it('maps dockle levels to check levels (SKIP reports nothing wrong)', () => {
    const out = parseFixture(new URL('./testdata/image.json', import.meta.url), parseDockle);
    expect(out.checks.map((c) => [c.id, c.level, c.details?.length ?? 0])).toEqual([
      ['CIS-DI-0010', 'FATAL', 1],
      ['CIS-DI-0001', 'WARN', 1],
      ['CIS-DI-0006', 'INFO', 1],
      ['DKL-LI-0003', 'PASS', 1],
    ]);
  });
});
