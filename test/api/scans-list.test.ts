// GET /api/scans: every sort and direction, status filters, search, pagination and links,
// checked against the same rows ordered in memory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiDependencies } from '../../functions/composition/api.ts';
import { SCAN_STATUSES, type Scan } from '../../functions/domain/scans/scan.ts';
import { apiKey, call, type Credential } from '../support/http.ts';
import { everyPage, ordered, pageMetas } from '../support/list-pages.ts';
import { makeScan } from '../support/scan-factory.ts';
import { seedOrganization } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let credential: Credential;
let scans: Scan[];
const COUNT = 137;

beforeAll(async () => {
  stack = await startTestStack();
  const org = await seedOrganization('lists');
  credential = apiKey(org.apiKeys.developer);
  // Each scan under its image's tag record, as submissions create them: search reads the tags' catalogue.
  const store = apiDependencies().scans;
  const tagIds = new Map<string, string>();
  scans = [];
  for (let i = 0; i < COUNT; i++) {
    const { image } = makeScan(org.orgId, i);
    const ref = `${image.name}:${image.tag}`;
    if (!tagIds.has(ref)) tagIds.set(ref, await store.ensureTag(org.orgId, image.name, image.tag!));
    scans.push(makeScan(org.orgId, i, tagIds.get(ref)));
  }
  await store.createScans(scans);
});
afterAll(() => stack?.close());

const time = (s: Scan) => `${s.scannedAt ?? s.requestedAt}#${s.id}`;
const KEYS: Record<string, (s: Scan) => string> = {
  scannedAt: time,
  status: (s) => `${SCAN_STATUSES.indexOf(s.status)}#${time(s)}`,
  compliance: (s) => `${s.compliance ?? '~'}#${time(s)}`,
  riskScore: (s) => `${s.riskScore === null ? '~~~' : String(s.riskScore).padStart(3, '0')}#${time(s)}`,
};

function expectedOrder(field: string, direction: 'asc' | 'desc', filter: (s: Scan) => boolean): string[] {
  return ordered(scans.filter(filter), KEYS[field]!, direction).map((s) => s.id);
}

async function allPages(query: string, limit: number): Promise<{ ids: string[]; pages: any[] }> {
  const pages = await everyPage(stack.baseUrl, credential, `/api/scans?page=1&limit=${limit}${query}`);
  return { ids: pages.flatMap((page) => page.data.map((row: { id: string }) => row.id)), pages };
}

describe.each(['scannedAt', 'status', 'compliance', 'riskScore'])('sort=%s', (field) => {
  it.each(['asc', 'desc'] as const)('%s over all pages equals the in-memory order', async (direction) => {
    const { ids, pages } = await allPages(`&sort=${field}:${direction}`, 40);
    expect(ids).toEqual(expectedOrder(field, direction, () => true));
    expect(pages.map((p) => p.meta)).toEqual(pageMetas(COUNT, 40));
    expect(pages[1].links).toEqual({
      self: `/api/scans?page=2&limit=40&sort=${field}%3A${direction}`,
      next: `/api/scans?page=3&limit=40&sort=${field}%3A${direction}`,
      prev: `/api/scans?page=1&limit=40&sort=${field}%3A${direction}`,
    });
  });

  it.each(SCAN_STATUSES)('with status=%s', async (status) => {
    const { ids, pages } = await allPages(`&sort=${field}:asc&status=${status}`, 50);
    const want = expectedOrder(field, 'asc', (s) => s.status === status);
    expect(ids).toEqual(want);
    expect(pages[0].meta.total).toBe(want.length);
  });
});

it('defaults to page 1, limit 50, scannedAt:desc, and returns the documented row shape', async () => {
  const response = await call(stack.baseUrl, 'GET', '/api/scans', credential);
  expect(response.body.data.map((r: { id: string }) => r.id)).toEqual(expectedOrder('scannedAt', 'desc', () => true).slice(0, 50));
  const complete = scans.find((s) => s.status === 'COMPLETE')!;
  const row = (await allPages('&status=COMPLETE', 200)).pages[0].data.find((r: { id: string }) => r.id === complete.id);
  expect(row).toEqual({
    id: complete.id,
    tagId: complete.tagId,
    image: { name: complete.image.name, tag: complete.image.tag },
    status: 'COMPLETE',
    compliance: complete.compliance,
    riskScore: complete.riskScore,
    duration: complete.duration,
    scannedAt: complete.scannedAt,
    // Stored without `matching`, as scans before it were: scored as matched.
    matching: { status: 'MATCHED' },
  });
  expect(response.body.links).toEqual({ self: '/api/scans?page=1&limit=50', next: '/api/scans?page=2&limit=50' });
});

it('searches image name, tag and scan id case-insensitively, with exact totals', async () => {
  const { ids, pages } = await allPages('&search=WORKER', 20);
  expect(ids).toEqual(expectedOrder('scannedAt', 'desc', (s) => s.image.name.includes('worker')));
  expect(pages[0].meta.total).toBe(ids.length);
  expect(pages[0].links.self).toBe('/api/scans?page=1&limit=20&search=WORKER');

  const tag = await allPages('&search=1.16.0&status=QUEUED', 200);
  expect(tag.ids).toEqual(expectedOrder('scannedAt', 'desc', (s) => s.image.tag === '1.16.0' && s.status === 'QUEUED'));

  const one = scans[42]!;
  const byId = await allPages(`&search=${one.id.toUpperCase()}`, 10);
  expect(byId.ids).toEqual([one.id]);
});

it('returns an empty page past the end, with a prev link', async () => {
  const response = await call(stack.baseUrl, 'GET', '/api/scans?page=9&limit=50', credential);
  expect(response.body.data).toEqual([]);
  expect(response.body.meta).toMatchObject({ page: 9, total: COUNT, totalPages: 3, hasNext: false, hasPrev: true });
  expect(response.body.links.prev).toBe('/api/scans?page=3&limit=50');
});

it.each([
  ['page=0', 'page'],
  ['page=abc', 'page'],
  ['limit=0', 'limit'],
  ['limit=201', 'limit'],
  ['limit=1.5', 'limit'],
  ['sort=name:asc', 'sort'],
  ['sort=riskScore:up', 'sort'],
  ['sort=riskScore:asc:x', 'sort'],
  ['status=DONE', 'status'],
  ['status=complete', 'status'],
  ['search=', 'search'],
  [`search=${'x'.repeat(300)}`, 'search'],
  ['colour=red', 'colour'],
  ['page=1&page=2', 'page'],
])('rejects %s naming %s', async (query, parameter) => {
  const response = await call(stack.baseUrl, 'GET', `/api/scans?${query}`, credential);
  expect(response.status).toBe(400);
  expect(response.body.error.code).toBe('VALIDATION_ERROR');
  expect(response.body.error.issues.map((i: { path: string }) => i.path)).toContain(parameter);
});
