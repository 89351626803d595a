import { describe, expect, it } from 'vitest';
import { parseTarget } from '../scanner-adapter.ts';
import { parseFixture } from '../adapter-harness.ts';
import { diveAdapter, parseDive } from './adapter.ts';

describe('dive adapter', () => {
  it("turns the efficiency score into a check under dive's default CI rule", () => {
    const out = parseFixture(new URL('./testdata/image.json', import.meta.url), parseDive);
    expect(out.checks).toHaveLength(1);
    expect(out.checks[0]).toMatchObject({ id: 'DIVE-EFFICIENCY', level: 'WARN', title: 'Image efficiency 84.0% (21474836 bytes wasted of 133999999)' });
    expect(out.checks[0]!.details?.[0]).toBe('/var/cache/apt/pkgcache.bin: 2 copies, 20971520 bytes');
  });

  it('reads docker archives only (anything else reaches it as a local copy)', () => {
    expect(diveAdapter.reads).toEqual(['docker-archive']);
    expect(diveAdapter.args(parseTarget('docker-archive:/x/app.tar'), '/o.json')).toEqual(['--source', 'docker-archive', '/x/app.tar', '--json', '/o.json']);
  });
});
