// GET /api/vulnerabilities and /api/vulnerabilities/{id} on the real stack: tags uploaded through
// the real ingest (later scans of a tag resolve some findings and add others), every filter and
// sort checked over all pages against an oracle built from each tag's latest scan as
// GET /api/scans/{id} reports it; a triage change shows in the list and the detail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnvelopeVulnerability, ScanEnvelope } from '#shared/envelope/envelope-schema.ts';
import { apiKey, call, type Credential } from '../support/http.ts';
import { everyPage, ordered, pageMetas } from '../support/list-pages.ts';
import { sampleEnvelope } from '../support/envelopes.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let org: SeededOrg;
let viewer: Credential;

const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'] as const;
const STATUSES = ['OPEN', 'ACKNOWLEDGED', 'IN_PROGRESS', 'FIXED', 'WONT_FIX'] as const;
const PACKAGES = ['openssl', 'zlib', 'lodash', 'glibc', 'curl', 'minimist'];
/** A pool of advisories: each upload reports a deterministic subset of them. */
const POOL: EnvelopeVulnerability[] = Array.from({ length: 16 }, (_, i) => ({
  id: i % 5 === 4 ? `GHSA-${i}abc-defg-hijk` : `CVE-2025-${1000 + i}`,
  severity: SEVERITIES[i % 5]!,
  cvss: i % 4 === 3 ? null : Math.round((10 - (i % 10) * 0.7) * 10) / 10,
  package: PACKAGES[i % PACKAGES.length]!,
  version: `1.${i}.0`,
  fixedVersion: i % 3 === 0 ? null : `1.${i}.9`,
  scanner: 'harborguard',
  title: `Flaw number ${i} in ${PACKAGES[i % PACKAGES.length]}`,
  ...(i % 6 === 1 ? { knownExploited: true } : {}),
  ...(i % 4 !== 2 ? { epss: Math.round(((i * 37) % 100) / 10) / 100 + 0.001 * i } : {}),
}));
/** A second package for two advisories, so one vulnerability can affect one tag twice. */
const SECOND: EnvelopeVulnerability[] = [
  { ...POOL[0]!, package: 'libssl3', version: '3.0.1', fixedVersion: '3.0.7', severity: 'HIGH' },
  { ...POOL[5]!, package: 'zlib1g', version: '1.2.11', fixedVersion: null },
];

const REPLACED_ONLY: EnvelopeVulnerability = {
  id: 'CVE-2025-9999',
  severity: 'CRITICAL',
  cvss: 9.9,
  package: 'busybox',
  version: '1.36',
  scanner: 'harborguard',
};

interface Upload {
  scanId: string;
  name: string;
  tag: string;
  finishedAt: string;
}
const uploads: Upload[] = [];

function vulnerabilitiesFor(n: number): EnvelopeVulnerability[] {
  const chosen = POOL.filter((_, i) => (n * 7 + i * 3) % 5 < 2);
  return n % 4 === 0 ? [...chosen, ...SECOND] : chosen;
}

beforeAll(async () => {
  stack = await startTestStack();
  org = await seedOrganization('vulns');
  viewer = apiKey(org.apiKeys.viewer);
  const jobs: Array<() => Promise<void>> = [];
  let n = 0;
  for (let r = 0; r < 9; r++) {
    const name = `ghcr.io/acme/app-${r}`;
    for (let t = 0; t < 1 + (r % 3); t++) {
      const tag = `v${t}`;
      // Uploads of one tag one after another (each compared with the one before); tags concurrently.
      const envelopes: ScanEnvelope[] = [];
      const count = 1 + ((r + t) % 3);
      for (let u = 0; u < count; u++) {
        n += 1;
        const finishedAt = new Date(Date.UTC(2026, 6, 1) + n * 3_600_000).toISOString();
        const env = sampleEnvelope({
          scan: { id: `scn-vul${n.toString(36)}x${Date.now().toString(36)}`, startedAt: new Date(Date.parse(finishedAt) - 60_000).toISOString(), finishedAt },
          image: { name, tag, digest: `sha256:${n.toString(16).padStart(64, '0')}` },
          // Only in scans a later one of the same tag replaced: resolved everywhere.
          vulnerabilities: u < count - 1 ? [...vulnerabilitiesFor(n), REPLACED_ONLY] : vulnerabilitiesFor(n),
        });
        uploads.push({ scanId: env.scan.id, name, tag, finishedAt });
        envelopes.push(env);
      }
      jobs.push(async () => {
        for (const env of envelopes) expect((await call(stack.baseUrl, 'POST', '/api/scans/upload', apiKey(org.sensorKey), env)).status).toBe(200);
      });
    }
  }
  await Promise.all(jobs.map((job) => job()));
}, 180_000);
afterAll(() => stack?.close());

interface CurrentFinding {
  id: string;
  cveId: string;
  severity: (typeof SEVERITIES)[number];
  cvss: number | null;
  epss: number | null;
  knownExploited: boolean;
  title: string | null;
  package: string;
  version: string;
  fixedVersion: string | null;
  triage: { status: (typeof STATUSES)[number]; slaDeadline: string | null };
  timeline: { firstSeenAt: string };
  image: string;
  tag: string;
}

/** Each tag's latest upload's findings, as GET /api/scans/{id} reports them. */
async function currentFindings(): Promise<CurrentFinding[]> {
  const latest = new Map<string, Upload>();
  for (const u of uploads) {
    const key = `${u.name}:${u.tag}`;
    if (!latest.has(key) || latest.get(key)!.finishedAt < u.finishedAt) latest.set(key, u);
  }
  const all: CurrentFinding[] = [];
  for (const u of latest.values()) {
    const scan = await call(stack.baseUrl, 'GET', `/api/scans/${u.scanId}`, viewer);
    expect(scan.status).toBe(200);
    for (const f of scan.body.data.vulnerabilities) all.push({ ...f, image: u.name, tag: u.tag });
  }
  return all;
}

interface Expected {
  cveId: string;
  title: string | null;
  severity: string;
  cvss: number | null;
  epss: number | null;
  knownExploited: boolean;
  fixable: boolean;
  packages: string[];
  affectedImages: number;
  affectedTags: number;
  firstSeenAt: string;
  slaDeadline: string | null;
  triage: Record<string, number>;
}

function summaries(findings: CurrentFinding[]): Expected[] {
  const byCve = new Map<string, CurrentFinding[]>();
  for (const f of findings) byCve.set(f.cveId, [...(byCve.get(f.cveId) ?? []), f]);
  const min = (values: Array<string | null>) => values.filter((v): v is string => v !== null).sort()[0] ?? null;
  const max = (values: Array<number | null>) => values.filter((v): v is number => v !== null).sort((a, b) => b - a)[0] ?? null;
  return [...byCve].map(([cveId, fs]) => ({
    cveId,
    title: fs.find((f) => f.title !== null)?.title ?? null,
    severity: SEVERITIES[Math.min(...fs.map((f) => SEVERITIES.indexOf(f.severity)))]!,
    cvss: max(fs.map((f) => f.cvss)),
    epss: max(fs.map((f) => f.epss)),
    knownExploited: fs.some((f) => f.knownExploited),
    fixable: fs.some((f) => f.fixedVersion !== null),
    packages: [...new Set(fs.map((f) => f.package))].sort(),
    affectedImages: new Set(fs.map((f) => f.image)).size,
    affectedTags: new Set(fs.map((f) => `${f.image}:${f.tag}`)).size,
    firstSeenAt: min(fs.map((f) => f.timeline.firstSeenAt))!,
    slaDeadline: min(fs.map((f) => f.triage.slaDeadline)),
    triage: Object.fromEntries(STATUSES.map((s) => [s, fs.filter((f) => f.triage.status === s).length])),
  }));
}

let findings: CurrentFinding[];
let expected: Expected[];
beforeAll(async () => {
  findings = await currentFindings();
  expected = summaries(findings);
});

const KEYS: Record<string, (v: Expected) => string> = {
  severity: (v) => `${5 - SEVERITIES.indexOf(v.severity as (typeof SEVERITIES)[number])}#${v.cveId}`,
  cvss: (v) => `${v.cvss === null ? '~~~' : String(Math.round(v.cvss * 10)).padStart(3, '0')}#${v.cveId}`,
  epss: (v) => `${v.epss === null ? '~' : v.epss.toFixed(5)}#${v.cveId}`,
  firstSeenAt: (v) => `${v.firstSeenAt}#${v.cveId}`,
  slaDeadline: (v) => `${v.slaDeadline ?? '~'}#${v.cveId}`,
};

function expectedOrder(field: string, direction: 'asc' | 'desc', filter: (v: Expected) => boolean): string[] {
  return ordered(expected.filter(filter), KEYS[field]!, direction).map((v) => v.cveId);
}

async function allPages(query: string, limit: number): Promise<{ ids: string[]; pages: any[] }> {
  const pages = await everyPage(stack.baseUrl, viewer, `/api/vulnerabilities?page=1&limit=${limit}${query}`);
  return { ids: pages.flatMap((page) => page.data.map((row: { cveId: string }) => row.cveId)), pages };
}

it('lists every vulnerability open on a current tag state, as the oracle summarises them, most severe first', async () => {
  // Later scans resolved some of the pool: those are not listed.
  expect(expected.length).toBeGreaterThan(8);
  expect(expected.map((v) => v.cveId)).not.toContain(REPLACED_ONLY.id);
  const { pages } = await allPages('', 200);
  expect(pages[0].data.map((r: { cveId: string }) => r.cveId)).toEqual(expectedOrder('severity', 'desc', () => true));
  expect(pages[0].data).toEqual(expectedOrder('severity', 'desc', () => true).map((id) => expected.find((v) => v.cveId === id)));
  expect(pages[0].links).toEqual({ self: '/api/vulnerabilities?page=1&limit=200' });
  // Some vulnerability affects one tag through two packages.
  expect(expected.some((v) => v.packages.length > 1)).toBe(true);
});

describe.each(['severity', 'cvss', 'epss', 'firstSeenAt', 'slaDeadline'])('sort=%s', (field) => {
  it.each(['asc', 'desc'] as const)('%s over all pages equals the oracle, with meta and links', async (direction) => {
    const { ids, pages } = await allPages(`&sort=${field}:${direction}`, 4);
    expect(ids).toEqual(expectedOrder(field, direction, () => true));
    expect(pages.map((p) => p.meta)).toEqual(pageMetas(expected.length, 4));
    expect(pages[1].links).toEqual({
      self: `/api/vulnerabilities?page=2&limit=4&sort=${field}%3A${direction}`,
      next: `/api/vulnerabilities?page=3&limit=4&sort=${field}%3A${direction}`,
      prev: `/api/vulnerabilities?page=1&limit=4&sort=${field}%3A${direction}`,
    });
  });
});

const imageIds = new Map<string, string>();
beforeAll(async () => {
  const images = await call(stack.baseUrl, 'GET', '/api/images?limit=200', viewer);
  for (const row of images.body.data) imageIds.set(row.name, row.id);
});
const onImage = (name: string) => (v: Expected) => findings.some((f) => f.cveId === v.cveId && f.image === name);

const FILTERS: Array<[string | (() => string), (v: Expected) => boolean]> = [
  ['severity=CRITICAL', (v) => v.severity === 'CRITICAL'],
  ['severity=HIGH,LOW', (v) => v.severity === 'HIGH' || v.severity === 'LOW'],
  ['kev=true', (v) => v.knownExploited],
  ['kev=false', (v) => !v.knownExploited],
  ['fixable=true', (v) => v.fixable],
  ['fixable=false', (v) => !v.fixable],
  ['package=zlib', (v) => v.packages.includes('zlib')],
  ['package=libssl3', (v) => v.packages.includes('libssl3')],
  ['cveId=cve-2025-1000', (v) => v.cveId === 'CVE-2025-1000'],
  ['search=GHSA', (v) => v.cveId.includes('GHSA')],
  ['search=LODASH', (v) => v.packages.includes('lodash') || (v.title ?? '').toLowerCase().includes('lodash')],
  ['search=number 1', (v) => (v.title ?? '').includes('number 1')],
  ['status=OPEN', (v) => v.triage.OPEN! > 0],
  [() => `image=${imageIds.get('ghcr.io/acme/app-4')}`, onImage('ghcr.io/acme/app-4')],
  [
    () => `image=${imageIds.get('ghcr.io/acme/app-2')}&severity=CRITICAL,HIGH&fixable=true`,
    (v) => onImage('ghcr.io/acme/app-2')(v) && ['CRITICAL', 'HIGH'].includes(v.severity) && v.fixable,
  ],
];

describe.each(FILTERS.map(([q, f], i) => [i, q, f] as const))('filter %i', (_i, query, filter) => {
  it.each(['severity:desc', 'cvss:asc', 'slaDeadline:asc'])(
    'sorted %s over all pages equals the oracle, with exact totals, and is not vacuous',
    async (sort) => {
      const q = typeof query === 'function' ? query() : query;
      const [field, direction] = sort.split(':') as [string, 'asc' | 'desc'];
      const { ids, pages } = await allPages(`&${q}&sort=${sort}`, 3);
      const want = expectedOrder(field, direction, filter);
      expect([q, ids]).toEqual([q, want]);
      expect(pages[0].meta.total).toBe(want.length);
      expect([q, want.length > 0]).toEqual([q, true]);
    },
  );
});

it('shows which images and tags a vulnerability affects, since when, with fixed versions', async () => {
  for (const v of expected) {
    const response = await call(stack.baseUrl, 'GET', `/api/vulnerabilities/${v.cveId}`, viewer);
    expect(response.status).toBe(200);
    const { affected, ...summary } = response.body.data;
    expect(summary).toEqual(v);
    const want = findings
      .filter((f) => f.cveId === v.cveId)
      .map((f) => ({
        imageId: imageIds.get(f.image),
        image: f.image,
        tagId: expect.any(String),
        tag: f.tag,
        package: f.package,
        version: f.version,
        fixedVersion: f.fixedVersion,
        severity: f.severity,
        cvss: f.cvss,
        firstSeenAt: f.timeline.firstSeenAt,
        slaDeadline: f.triage.slaDeadline,
        status: f.triage.status,
      }))
      .sort((a, b) => (`${a.image}\0${a.tag}\0${a.package}` < `${b.image}\0${b.tag}\0${b.package}` ? -1 : 1));
    expect(affected).toEqual(want);
  }
});

it('answers 404 for a vulnerability open nowhere (resolved by a later scan, or never seen)', async () => {
  for (const id of [REPLACED_ONLY.id, 'CVE-1999-0001', 'not an id']) {
    const response = await call(stack.baseUrl, 'GET', `/api/vulnerabilities/${encodeURIComponent(id)}`, viewer);
    expect([id, response.status, response.body.error.code]).toEqual([id, 404, 'NOT_FOUND']);
  }
});

it('shows a triage change of a current finding in the list and the detail; one of an older scan changes nothing', async () => {
  const target = findings.find((f) => f.cveId === expected.find((v) => v.affectedTags > 1)!.cveId)!;
  const triaged = await call(stack.baseUrl, 'PUT', `/api/vulnerabilities/${target.id}/triage`, apiKey(org.apiKeys.developer), {
    status: 'WONT_FIX',
    note: 'accepted risk',
  });
  expect(triaged.status).toBe(200);
  const list = await allPages('&status=WONT_FIX', 50);
  expect(list.ids).toEqual([target.cveId]);
  expect(list.pages[0].data[0].triage.WONT_FIX).toBe(1);
  const detail = await call(stack.baseUrl, 'GET', `/api/vulnerabilities/${target.cveId}`, viewer);
  const row = detail.body.data.affected.find(
    (a: { image: string; tag: string; package: string }) => a.image === target.image && a.tag === target.tag && a.package === target.package,
  );
  expect(row.status).toBe('WONT_FIX');
  expect(detail.body.data.triage.OPEN).toBe(expected.find((v) => v.cveId === target.cveId)!.triage.OPEN! - 1);

  // A finding of a scan that is no longer its tag's latest: triaged, but not the tag's current state.
  const latestIds = new Set(findings.map((f) => f.id));
  let older: { id: string; cveId: string } | undefined;
  for (const u of uploads) {
    if (older) break;
    const scan = await call(stack.baseUrl, 'GET', `/api/scans/${u.scanId}`, viewer);
    older = scan.body.data.vulnerabilities.find((f: { id: string }) => !latestIds.has(f.id));
  }
  expect(older).toBeDefined();
  expect((await call(stack.baseUrl, 'PUT', `/api/vulnerabilities/${older!.id}/triage`, apiKey(org.apiKeys.developer), { status: 'IN_PROGRESS' })).status).toBe(
    200,
  );
  expect((await allPages('&status=IN_PROGRESS', 50)).ids).toEqual([]);
});

it.each([
  ['page=0', 'page'],
  ['limit=201', 'limit'],
  ['sort=name', 'sort'],
  ['sort=cvss:up', 'sort'],
  ['severity=SEVERE', 'severity'],
  ['severity=critical', 'severity'],
  ['status=CLOSED', 'status'],
  ['kev=yes', 'kev'],
  ['fixable=1', 'fixable'],
  ['package=', 'package'],
  ['cveId=', 'cveId'],
  ['image=app-1', 'image'],
  ['search=', 'search'],
  ['grade=A', 'grade'],
])('rejects %s naming %s', async (query, parameter) => {
  const response = await call(stack.baseUrl, 'GET', `/api/vulnerabilities?${query}`, viewer);
  expect(response.status).toBe(400);
  expect(response.body.error.code).toBe('VALIDATION_ERROR');
  expect(response.body.error.issues.map((i: { path: string }) => i.path)).toContain(parameter);
});
