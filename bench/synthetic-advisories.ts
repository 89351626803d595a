// The benchmarks' synthetic advisory database and inventories (bench:match, bench:watch):
// OSV records over a given number of package names in five ecosystems (npm, PyPI, Maven, Go,
// Debian:12 source packages), and installed packages drawn from the same names. Seeded, so the
// same options give the same records and packages on every machine.
import type { Package } from '#shared/packages/package.ts';

// Deterministic data: the same seed gives the same database on every machine.
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Share of names per ecosystem and how an installed package of it looks.
export const ECOSYSTEMS = [
  { ecosystem: 'npm', type: 'npm', share: 0.5, version: (a: number, b: number, c: number) => `${a}.${b}.${c}`, name: (i: number) => `pkg-${i}` },
  { ecosystem: 'PyPI', type: 'pypi', share: 0.2, version: (a: number, b: number, c: number) => `${a}.${b}.${c}`, name: (i: number) => `py_pkg.${i}` },
  {
    ecosystem: 'Maven',
    type: 'maven',
    share: 0.1,
    version: (a: number, b: number, c: number) => `${a}.${b}.${c}`,
    name: (i: number) => `org.example${i % 97}:artifact-${i}`,
  },
  {
    ecosystem: 'Go',
    type: 'golang',
    share: 0.1,
    version: (a: number, b: number, c: number) => `v${a}.${b}.${c}`,
    name: (i: number) => `github.com/example/mod${i}`,
  },
  {
    ecosystem: 'Debian:12',
    type: 'deb',
    share: 0.1,
    version: (a: number, b: number, c: number) => `${a}.${b}.${c}-${1 + (c % 4)}`,
    name: (i: number) => `src${i}`,
  },
] as const;

export type Eco = (typeof ECOSYSTEMS)[number];

/** The ecosystem of name `i` of `names`: the first half npm, and so on by share. */
export function ecosystemOf(i: number, names: number): Eco {
  let acc = 0;
  for (const e of ECOSYSTEMS) {
    acc += e.share;
    if (i < acc * names) return e;
  }
  return ECOSYSTEMS[0];
}

const VECTORS = [
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N',
  'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H',
  'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
];

/**
 * `perName` advisories for each of `names` package names, as raw OSV records: CVSS vectors, one
 * or two ranges, all within major versions 0–5 (a version of major 6 or later is never affected).
 */
export function* syntheticRecords(names: number, perName: number): Generator<Record<string, unknown>> {
  const random = rng(42);
  let n = 0;
  for (let i = 0; i < names; i++) {
    const eco = ecosystemOf(i, names);
    const name = eco.name(i);
    for (let k = 0; k < perName; k++) {
      n++;
      const major = Math.floor(random() * 5);
      const fixMinor = 1 + Math.floor(random() * 20);
      const range = {
        type: eco.ecosystem === 'Go' ? 'SEMVER' : 'ECOSYSTEM',
        events: [{ introduced: k % 3 === 0 ? '0' : eco.version(major, 0, 0).replace(/^v/, '') }, { fixed: eco.version(major, fixMinor, 0).replace(/^v/, '') }],
      };
      const second =
        k % 4 === 0
          ? [
              {
                type: range.type,
                events: [{ introduced: eco.version(major + 1, 0, 0).replace(/^v/, '') }, { fixed: eco.version(major + 1, fixMinor, 1).replace(/^v/, '') }],
              },
            ]
          : [];
      const cve = `CVE-20${10 + (n % 15)}-${100000 + n}`;
      yield {
        schema_version: '1.6.0',
        id: `GHSA-${n.toString(36).padStart(4, '0')}-bench-${k}`,
        modified: `2025-${String(1 + (n % 12)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}T00:00:00Z`,
        published: '2024-01-01T00:00:00Z',
        aliases: [cve],
        summary: `Synthetic vulnerability ${n} in ${name}`,
        details: `A synthetic advisory for the matching benchmark; ${name} before ${range.events[1]!.fixed} is affected.`,
        severity: [{ type: VECTORS[n % VECTORS.length]!.startsWith('CVSS:4') ? 'CVSS_V4' : 'CVSS_V3', score: VECTORS[n % VECTORS.length]! }],
        affected: [{ package: { ecosystem: eco.ecosystem, name }, ranges: [range, ...second], database_specific: { source: 'bench' } }],
        references: [
          { type: 'ADVISORY', url: `https://example.test/advisories/${cve}` },
          { type: 'WEB', url: `https://example.test/${name}/issues/${n}` },
        ],
      };
    }
  }
}

export interface SyntheticPackagesOptions {
  count: number;
  seed: number;
  /** The names the advisories were built over (syntheticRecords). */
  names: number;
  /**
   * Share of the packages with advisories whose version is drawn from the affected majors (0–5);
   * the others get a later major, so they are looked up and compared but match nothing. 1 by
   * default (bench:match's inventory).
   */
  vulnerableShare?: number;
}

/** Installed packages: 80 % of them named in the advisories, as in a typical image; 20 % not. */
export function syntheticPackages({ count, seed, names, vulnerableShare = 1 }: SyntheticPackagesOptions): Package[] {
  const random = rng(seed);
  const packages: Package[] = [];
  for (let p = 0; p < count; p++) {
    const known = p % 5 !== 0;
    const i = Math.floor(random() * names);
    const eco = ecosystemOf(i, names);
    const name = known ? eco.name(i) : `${eco.name(i)}-unlisted`;
    const major = Math.floor(random() * 6);
    const minor = Math.floor(random() * 25);
    const patch = Math.floor(random() * 3);
    // The share is drawn from the minor and patch already drawn, so the default keeps the sequence of draws (and bench:match's inventory) as it was.
    const safe = vulnerableShare < 1 && (minor * 3 + patch) / 75 >= vulnerableShare;
    const version = eco.version(safe ? 6 + major : major, minor, patch);
    const layerDigest = `sha256:${(p % 3).toString().repeat(64)}`;
    packages.push({
      name: eco.type === 'deb' ? `lib${name}` : name,
      version,
      type: eco.type,
      purl: `pkg:${eco.type}/${name}@${version}`,
      licenses: [],
      location: '/',
      layerIndex: p % 3,
      layerDigest,
      ...(eco.type === 'deb' ? { sourceName: name, sourceVersion: version } : {}),
    });
  }
  return packages;
}
