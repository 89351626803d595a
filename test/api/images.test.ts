// GET /api/images, /api/images/{imageId} and …/history on the real stack: repositories and tags
// uploaded through the real ingest, every filter, sort and search checked over all pages against
// an oracle built from the scans the API itself reports; search of the scans list through the catalogue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanEnvelope } from '#shared/envelope/envelope-schema.ts';
import { apiKey, call, type Credential } from '../support/http.ts';
import { everyPage, ordered, pageMetas } from '../support/list-pages.ts';
import { sampleEnvelope } from '../support/envelopes.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let org: SeededOrg;
let viewer: Credential;

const REGISTRIES = ['ghcr.io/acme', 'docker.io/library', 'registry.example.com/team'];
const SEVERITY_SETS: ScanEnvelope['vulnerabilities'][] = [
  [],
  [{ id: 'CVE-2024-1000', severity: 'LOW', cvss: 2.0, package: 'zlib', version: '1.2.11', scanner: 'harborguard' }],
  [
    { id: 'CVE-2024-2000', severity: 'HIGH', cvss: 7.5, package: 'lodash', version: '4.17.15', fixedVersion: '4.17.21', scanner: 'harborguard' },
    { id: 'CVE-2024-2001', severity: 'MEDIUM', cvss: 5.0, package: 'minimist', version: '1.2.5', scanner: 'harborguard' },
  ],
  [
    { id: 'CVE-2024-3000', severity: 'CRITICAL', cvss: 9.8, package: 'openssl', version: '3.0.1', fixedVersion: '3.0.7', scanner: 'harborguard' },
    { id: 'CVE-2024-3001', severity: 'CRITICAL', cvss: 9.1, package: 'glibc', version: '2.36', scanner: 'harborguard' },
    { id: 'CVE-2024-3002', severity: 'HIGH', cvss: 8.1, package: 'curl', version: '7.88', scanner: 'harborguard' },
  ],
];
/** PASS counts out of 10 scored checks: grades A, B, C, D, F. */
const PASSES = [10, 8, 7, 6, 3];

interface Upload {
  scanId: string;
  name: string;
  tag: string;
  finishedAt: string;
}
const uploads: Upload[] = [];
/** Repositories only queued, never scanned to completion: listed with no latest scan. */
const queuedOnly: string[] = [];

function envelope(name: string, tag: string, n: number, finishedAt: string): ScanEnvelope {
  const passes = PASSES[n % PASSES.length]!;
  return sampleEnvelope({
    scan: { id: `scn-img${n.toString(36)}x${Date.now().toString(36)}`, startedAt: new Date(Date.parse(finishedAt) - 30_000).toISOString(), finishedAt },
    image: { name, tag, digest: `sha256:${n.toString(16).padStart(64, '0')}` },
    vulnerabilities: SEVERITY_SETS[(n * 5) % SEVERITY_SETS.length]!,
    checks: Array.from({ length: 10 }, (_, i) => ({ id: `CHK-${i}`, title: `check ${i}`, level: i < passes ? ('PASS' as const) : ('WARN' as const) })),
  });
}

beforeAll(async () => {
  stack = await startTestStack();
  org = await seedOrganization('images');
  viewer = apiKey(org.apiKeys.viewer);
  let n = 0;
  const jobs: Array<() => Promise<void>> = [];
  for (let r = 0; r < 21; r++) {
    const name = `${REGISTRIES[r % 3]}/svc-${String(r).padStart(2, '0')}${r % 4 === 0 ? '-worker' : ''}`;
    for (let t = 0; t < 1 + (r % 3); t++) {
      for (let u = 0; u < 1 + ((r + t) % 2); u++) {
        n += 1;
        // Times spread so that the latest tag differs between repositories; some uploads arrive after a later one of the same tag.
        const finishedAt = new Date(Date.UTC(2026, 5, 1) + ((n * 7919) % 5000) * 60_000).toISOString();
        const tag = t === 0 ? 'latest' : `v${t}.${r}`;
        const env = envelope(name, tag, n, finishedAt);
        uploads.push({ scanId: env.scan.id, name, tag, finishedAt });
        jobs.push(async () => {
          const response = await call(stack.baseUrl, 'POST', '/api/scans/upload', apiKey(org.sensorKey), env);
          expect(response.status).toBe(200);
        });
      }
    }
  }
  // Tags of one repository are uploaded in order of the list above; repositories concurrently.
  for (let i = 0; i < jobs.length; i += 6) await Promise.all(jobs.slice(i, i + 6).map((job) => job()));
  for (const name of ['ghcr.io/acme/queued-only', 'docker.io/library/pending']) {
    const response = await call(stack.baseUrl, 'POST', '/api/scans', apiKey(org.apiKeys.developer), { image: `${name}:1.0` });
    expect(response.status).toBe(202);
    queuedOnly.push(name);
  }
}, 180_000);
afterAll(() => stack?.close());

interface ExpectedImage {
  name: string;
  registry: string;
  latestTag: string | null;
  digest: string | null;
  riskScore: number | null;
  grade: string | null;
  severityCounts: Record<string, number> | null;
  lastScannedAt: string | null;
  tags: string[];
}
let expected: ExpectedImage[];

async function scanDetails(scanId: string) {
  const response = await call(stack.baseUrl, 'GET', `/api/scans/${scanId}`, viewer);
  expect(response.status).toBe(200);
  return response.body.data;
}

const countsOf = (vulnerabilities: Array<{ severity: string }>) => {
  const counts: Record<string, number> = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFO: 0 };
  for (const v of vulnerabilities) counts[v.severity]! += 1;
  return counts;
};

/** The oracle: for each repository, its latest-finished upload as GET /api/scans/{id} reports it. */
async function buildExpected(): Promise<ExpectedImage[]> {
  const names = [...new Set(uploads.map((u) => u.name))];
  const images: ExpectedImage[] = [];
  for (const name of names) {
    const mine = uploads.filter((u) => u.name === name);
    const latest = mine.reduce((a, b) => (b.finishedAt > a.finishedAt ? b : a));
    const scan = await scanDetails(latest.scanId);
    images.push({
      name,
      registry: name.split('/')[0]!,
      latestTag: latest.tag,
      digest: scan.image.digest,
      riskScore: scan.riskScore,
      grade: scan.compliance,
      severityCounts: countsOf(scan.vulnerabilities),
      lastScannedAt: scan.scannedAt,
      tags: [...new Set(mine.map((u) => u.tag))].sort(),
    });
  }
  for (const name of queuedOnly)
    images.push({
      name,
      registry: name.split('/')[0]!,
      latestTag: null,
      digest: null,
      riskScore: null,
      grade: null,
      severityCounts: null,
      lastScannedAt: null,
      tags: ['1.0'],
    });
  return images;
}

const KEYS: Record<string, (i: ExpectedImage) => string> = {
  name: (i) => i.name,
  lastScannedAt: (i) => `${i.lastScannedAt ?? '~'}#${i.name}`,
  riskScore: (i) => `${i.riskScore === null ? '~~~' : String(i.riskScore).padStart(3, '0')}#${i.name}`,
};

function expectedOrder(field: string, direction: 'asc' | 'desc', filter: (i: ExpectedImage) => boolean): string[] {
  return ordered(expected.filter(filter), KEYS[field]!, direction).map((i) => i.name);
}

async function allPages(query: string, limit: number): Promise<{ names: string[]; pages: any[] }> {
  const pages = await everyPage(stack.baseUrl, viewer, `/api/images?page=1&limit=${limit}${query}`);
  return { names: pages.flatMap((page) => page.data.map((row: { name: string }) => row.name)), pages };
}

beforeAll(async () => {
  expected = await buildExpected();
});

describe.each(['name', 'lastScannedAt', 'riskScore'])('sort=%s', (field) => {
  it.each(['asc', 'desc'] as const)('%s over all pages equals the oracle, with meta and links', async (direction) => {
    const { names, pages } = await allPages(`&sort=${field}:${direction}`, 7);
    expect(names).toEqual(expectedOrder(field, direction, () => true));
    expect(pages.map((p) => p.meta)).toEqual(pageMetas(expected.length, 7));
    expect(pages[1].links).toEqual({
      self: `/api/images?page=2&limit=7&sort=${field}%3A${direction}`,
      next: `/api/images?page=3&limit=7&sort=${field}%3A${direction}`,
      prev: `/api/images?page=1&limit=7&sort=${field}%3A${direction}`,
    });
  });
});

it('defaults to name:asc, page 1, limit 50, and returns the documented rows', async () => {
  const response = await call(stack.baseUrl, 'GET', '/api/images', viewer);
  expect(response.status).toBe(200);
  expect(response.body.data.map((r: { name: string }) => r.name)).toEqual(expectedOrder('name', 'asc', () => true));
  expect(response.body.links).toEqual({ self: '/api/images?page=1&limit=50' });
  for (const row of response.body.data) {
    const want = expected.find((i) => i.name === row.name)!;
    const { tags, ...fields } = want;
    expect(row).toEqual({ id: expect.stringMatching(/^img-[0-9a-f]{20}$/), ...fields, tagCount: tags.length });
  }
  // Directions default by field: lastScannedAt and riskScore highest first.
  const byRisk = await call(stack.baseUrl, 'GET', '/api/images?sort=riskScore', viewer);
  expect(byRisk.body.data.map((r: { name: string }) => r.name)).toEqual(expectedOrder('riskScore', 'desc', () => true));
});

const FILTERS: Array<[string, (i: ExpectedImage) => boolean]> = [
  ['registry=ghcr.io', (i) => i.registry === 'ghcr.io'],
  ['registry=DOCKER.IO', (i) => i.registry === 'docker.io'],
  ['registry=quay.io', () => false],
  ['minRisk=0', (i) => i.riskScore !== null],
  ['minRisk=30', (i) => i.riskScore !== null && i.riskScore >= 30],
  ['minRisk=100', (i) => i.riskScore !== null && i.riskScore >= 100],
  ['grade=A', (i) => i.grade === 'A'],
  ['grade=D,F', (i) => i.grade === 'D' || i.grade === 'F'],
  ['search=WORKER', (i) => i.name.includes('worker')],
  ['search=v2.', (i) => i.tags.some((t) => t.includes('v2.'))],
  ['search=svc-1', (i) => i.name.includes('svc-1') || i.tags.some((t) => t.includes('svc-1'))],
  ['search=registry.example.com/team/svc-05', (i) => i.name === 'registry.example.com/team/svc-05'],
  [
    'registry=ghcr.io&minRisk=10&grade=A,B,C',
    (i) => i.registry === 'ghcr.io' && i.riskScore !== null && i.riskScore >= 10 && ['A', 'B', 'C'].includes(i.grade!),
  ],
];

describe.each(FILTERS)('%s', (query, filter) => {
  it.each(['name:asc', 'riskScore:desc', 'lastScannedAt:asc'])('sorted %s over all pages equals the oracle, with exact totals', async (sort) => {
    const [field, direction] = sort.split(':') as [string, 'asc' | 'desc'];
    const { names, pages } = await allPages(`&${query}&sort=${sort}`, 4);
    const want = expectedOrder(field, direction, filter);
    expect(names).toEqual(want);
    expect(pages[0].meta.total).toBe(want.length);
    if (want.length > 4) expect(pages[0].links.next).toContain(`&${new URLSearchParams(query).toString().split('&')[0]}`);
  });
});

it('makes sure the filters above are not vacuous', () => {
  for (const [query, filter] of FILTERS.filter(([q]) => q !== 'registry=quay.io' && q !== 'minRisk=100'))
    expect([query, expected.filter(filter).length > 0]).toEqual([query, true]);
});

it('shows one repository with its tags and each tag latest scan', async () => {
  const list = await allPages('', 50);
  for (const row of list.pages[0].data) {
    const want = expected.find((i) => i.name === row.name)!;
    const response = await call(stack.baseUrl, 'GET', `/api/images/${row.id}`, viewer);
    expect(response.status).toBe(200);
    const image = response.body.data;
    expect(image).toMatchObject({ id: row.id, name: row.name, latestTag: want.latestTag, riskScore: want.riskScore });
    expect(image.tags.map((t: { tag: string }) => t.tag).sort()).toEqual(want.tags);
    for (const tag of image.tags) {
      const mine = uploads.filter((u) => u.name === row.name && u.tag === tag.tag);
      if (mine.length === 0) {
        expect(tag.latestScan).toBeNull();
        continue;
      }
      const latest = mine.reduce((a, b) => (b.finishedAt > a.finishedAt ? b : a));
      const scan = await scanDetails(latest.scanId);
      expect(tag.latestScan).toEqual({
        id: latest.scanId,
        scannedAt: scan.scannedAt,
        digest: scan.image.digest,
        riskScore: scan.riskScore,
        grade: scan.compliance,
        severityCounts: countsOf(scan.vulnerabilities),
      });
    }
    // Most recently scanned first.
    const times = image.tags.map((t: { latestScan: { scannedAt: string } | null }) => t.latestScan?.scannedAt ?? '');
    expect(times).toEqual([...times].sort().reverse());
  }
});

it('gives the counts by severity of every scan of the repository over time', async () => {
  const list = await allPages('&search=svc-04-worker', 50);
  expect(list.names).toEqual(['docker.io/library/svc-04-worker']);
  const id = list.pages[0].data[0].id;
  const response = await call(stack.baseUrl, 'GET', `/api/images/${id}/history`, viewer);
  expect(response.status).toBe(200);
  const mine = uploads.filter((u) => u.name === 'docker.io/library/svc-04-worker').sort((a, b) => (a.finishedAt < b.finishedAt ? -1 : 1));
  expect(mine.length).toBeGreaterThan(1);
  const want = [];
  for (const upload of mine) {
    const scan = await scanDetails(upload.scanId);
    want.push({
      scanId: upload.scanId,
      tagId: expect.any(String),
      tag: upload.tag,
      scannedAt: scan.scannedAt,
      riskScore: scan.riskScore,
      severityCounts: countsOf(scan.vulnerabilities),
    });
  }
  expect(response.body.data).toEqual({ id, name: 'docker.io/library/svc-04-worker', points: want });
});

it('answers 404 for an unknown or malformed image id', async () => {
  for (const path of ['/api/images/img-00000000000000000000', '/api/images/img-00000000000000000000/history', '/api/images/not-an-id', '/api/images/img-ZZ']) {
    const response = await call(stack.baseUrl, 'GET', path, viewer);
    expect([path, response.status, response.body.error.code]).toEqual([path, 404, 'NOT_FOUND']);
  }
});

it.each([
  ['page=0', 'page'],
  ['limit=201', 'limit'],
  ['sort=size', 'sort'],
  ['sort=name:up', 'sort'],
  ['minRisk=101', 'minRisk'],
  ['minRisk=-1', 'minRisk'],
  ['minRisk=high', 'minRisk'],
  ['grade=E', 'grade'],
  ['grade=A,,B', 'grade'],
  ['grade=a', 'grade'],
  ['registry=', 'registry'],
  ['search=', 'search'],
  [`search=${'x'.repeat(300)}`, 'search'],
  ['status=COMPLETE', 'status'],
])('rejects %s naming %s', async (query, parameter) => {
  const response = await call(stack.baseUrl, 'GET', `/api/images?${query}`, viewer);
  expect(response.status).toBe(400);
  expect(response.body.error.code).toBe('VALIDATION_ERROR');
  expect(response.body.error.issues.map((i: { path: string }) => i.path)).toContain(parameter);
});

describe('GET /api/scans?search= through the catalogue', () => {
  // The scans list is for developers.
  const developer = () => apiKey(org.apiKeys.developer);
  async function scanPages(query: string): Promise<string[]> {
    const ids: string[] = [];
    let path: string | undefined = `/api/scans?page=1&limit=9${query}`;
    while (path) {
      const response = await call(stack.baseUrl, 'GET', path, developer());
      expect(response.status).toBe(200);
      ids.push(...response.body.data.map((row: { id: string }) => row.id));
      path = response.body.links.next;
    }
    return ids;
  }

  it.each([
    ['WORKER', (u: { name: string; tag: string }) => u.name.includes('worker')],
    ['v1.', (u: { name: string; tag: string }) => u.tag.includes('v1.')],
    ['docker.io/library/svc-07', (u: { name: string; tag: string }) => u.name === 'docker.io/library/svc-07'],
    ['queued-only', (u: { name: string; tag: string }) => u.name.includes('queued-only')],
  ])('search=%s finds the scans of the matching tags, newest first, over all pages', async (search, filter) => {
    const list = await call(stack.baseUrl, 'GET', '/api/scans?limit=200', developer());
    const all: Array<{ id: string; image: { name: string; tag: string }; scannedAt: string | null }> = list.body.data;
    const want = all.filter((row) => filter({ name: row.image.name, tag: row.image.tag })).map((row) => row.id);
    expect(want.length).toBeGreaterThan(0);
    expect(await scanPages(`&search=${encodeURIComponent(search)}`)).toEqual(want);
  });
});
