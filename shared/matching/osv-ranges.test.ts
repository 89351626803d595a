import { describe, expect, it } from 'vitest';
import { evaluateAffected, isAffected, type OsvAffected, type OsvEvent } from './osv-ranges.ts';
import { InvalidVersionError, UnknownEcosystemError } from './versions/index.ts';

const entry = (ecosystem: string, ...ranges: Array<{ type?: string; events: OsvEvent[] }>): OsvAffected => ({
  package: { ecosystem, name: 'pkg' },
  ranges: ranges.map((r) => ({ type: r.type ?? 'ECOSYSTEM', events: r.events })),
});

describe('OSV ranges', () => {
  describe('introduced 0 / fixed', () => {
    const lodash = entry('npm', { type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] });
    it.each([
      ['4.17.15', true, '4.17.21'],
      ['4.17.20', true, '4.17.21'],
      ['4.17.21-rc.1', true, '4.17.21'], // a pre-release of the fix is still before it
      ['4.17.21', false, undefined],
      ['4.17.22', false, undefined],
      ['0.0.1', true, '4.17.21'],
    ])('%s → affected %s, fix %s', (version, affected, fixedVersion) => {
      expect(evaluateAffected(lodash, version)).toEqual(fixedVersion ? { affected, fixedVersion } : { affected });
    });
  });

  it('sorts unsorted events and handles several intervals in one range', () => {
    const a = entry('PyPI', { events: [{ fixed: '2.3' }, { introduced: '2.0' }, { fixed: '1.2' }, { introduced: '1.0' }] });
    expect(evaluateAffected(a, '0.9')).toEqual({ affected: false });
    expect(evaluateAffected(a, '1.0')).toEqual({ affected: true, fixedVersion: '1.2' });
    expect(evaluateAffected(a, '1.1.post1')).toEqual({ affected: true, fixedVersion: '1.2' });
    expect(evaluateAffected(a, '1.2')).toEqual({ affected: false });
    expect(evaluateAffected(a, '1.9')).toEqual({ affected: false });
    expect(evaluateAffected(a, '2.0rc1')).toEqual({ affected: false }); // near miss: before 2.0
    expect(evaluateAffected(a, '2.2')).toEqual({ affected: true, fixedVersion: '2.3' });
    expect(evaluateAffected(a, '2.3.0')).toEqual({ affected: false }); // 2.3.0 == 2.3
  });

  it('takes the union of several ranges and reports a fix outside all of them', () => {
    const a = entry('Maven', { events: [{ introduced: '0' }, { fixed: '3.0' }] }, { events: [{ introduced: '2.0' }, { fixed: '2.5' }] });
    expect(evaluateAffected(a, '2.2')).toEqual({ affected: true, fixedVersion: '3.0' });
    expect(evaluateAffected(a, '3.0')).toEqual({ affected: false });
  });

  it('treats last_affected as inclusive and offers no fix', () => {
    const a = entry('Go', { type: 'SEMVER', events: [{ introduced: '1.2.0' }, { last_affected: '1.4.2' }] });
    expect(evaluateAffected(a, 'v1.4.2')).toEqual({ affected: true });
    expect(isAffected(a, 'v1.4.3')).toBe(false);
    expect(isAffected(a, 'v1.1.9')).toBe(false);
    expect(isAffected(a, 'v1.2.0-rc.1')).toBe(false);
  });

  it('applies limit as an exclusive upper bound ("*" means none)', () => {
    const limited = entry('crates.io', { type: 'SEMVER', events: [{ introduced: '1.0.0' }, { limit: '2.0.0' }] });
    expect(isAffected(limited, '1.9.9')).toBe(true);
    expect(isAffected(limited, '2.0.0')).toBe(false);
    const unlimited = entry('crates.io', { type: 'SEMVER', events: [{ introduced: '1.0.0' }, { limit: '*' }] });
    expect(isAffected(unlimited, '9.0.0')).toBe(true);
  });

  it('reads an introduced event equal to a fixed one as an empty range', () => {
    expect(isAffected(entry('npm', { events: [{ introduced: '1.0.0' }, { fixed: '1.0.0' }] }), '1.0.0')).toBe(false);
  });

  describe('distribution ranges', () => {
    it('Debian: revisions, binNMUs and epochs', () => {
      const util = entry('Debian:12', { events: [{ introduced: '0' }, { fixed: '2.38.1-5+deb12u1' }] });
      expect(evaluateAffected(util, '2.38.1-5')).toEqual({ affected: true, fixedVersion: '2.38.1-5+deb12u1' });
      expect(isAffected(util, '2.38.1-5+deb12u1')).toBe(false);
      expect(isAffected(util, '2.38.1-5+deb12u2')).toBe(false);
      expect(isAffected(util, '2.38.1-5+b1')).toBe(true); // a binNMU of the unfixed revision
      const withEpoch = entry('Debian', { events: [{ introduced: '0' }, { fixed: '1:2.38.1-5+deb12u1' }] });
      expect(isAffected(withEpoch, '2.38.1-6')).toBe(true); // near miss: no epoch sorts below epoch 1
    });

    it('Debian: an unfixed advisory (introduced 0 only) affects every version', () => {
      expect(evaluateAffected(entry('Debian', { events: [{ introduced: '0' }] }), '9:9.9-9')).toEqual({ affected: true });
    });

    it('Alpine: -r revisions', () => {
      const busybox = entry('Alpine:v3.19', { events: [{ introduced: '0' }, { fixed: '1.36.1-r30' }] });
      expect(isAffected(busybox, '1.36.1-r29')).toBe(true);
      expect(isAffected(busybox, '1.36.1-r30')).toBe(false);
      expect(isAffected(busybox, '1.36.10-r0')).toBe(false);
    });

    it('Red Hat: epochs', () => {
      const openssl = entry('Red Hat:enterprise_linux:9', { events: [{ introduced: '0' }, { fixed: '1:3.0.7-27.el9' }] });
      expect(isAffected(openssl, '3.0.7-28.el9')).toBe(true);
      expect(isAffected(openssl, '1:3.0.7-27.el9')).toBe(false);
      expect(isAffected(openssl, '1:3.0.7-25.el9_3')).toBe(true);
    });
  });

  describe('explicit versions', () => {
    const listed: OsvAffected = { package: { ecosystem: 'PyPI', name: 'pkg' }, versions: ['not a version!', '1.0', '1.0.1'] };
    it('matches by the scheme’s equality and skips entries the scheme cannot read', () => {
      expect(isAffected(listed, '1.0.0')).toBe(true);
      expect(isAffected(listed, '1.0.1')).toBe(true);
      expect(isAffected(listed, '1.0.2')).toBe(false);
      expect(isAffected(listed, 'not a version!')).toBe(true);
    });

    it('adds to ranges', () => {
      const both: OsvAffected = { ...entry('npm', { events: [{ introduced: '2.0.0' }, { fixed: '2.1.0' }] }), versions: ['1.5.0'] };
      // The smallest fix above the installed version, even from another range.
      expect(evaluateAffected(both, '1.5.0')).toEqual({ affected: true, fixedVersion: '2.1.0' });
      expect(evaluateAffected(both, '2.0.5')).toEqual({ affected: true, fixedVersion: '2.1.0' });
    });
  });

  it('ignores GIT ranges', () => {
    expect(isAffected(entry('npm', { type: 'GIT', events: [{ introduced: '0' }] }), '1.0.0')).toBe(false);
  });

  it('refuses an unknown ecosystem and an unreadable installed version', () => {
    expect(() => isAffected(entry('Hex', { events: [{ introduced: '0' }] }), '1.0.0')).toThrow(UnknownEcosystemError);
    expect(() => isAffected(entry('npm', { events: [{ introduced: '1.0.0' }] }), 'one')).toThrow(InvalidVersionError);
  });
});
