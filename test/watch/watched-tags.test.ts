// Each tag's current state, as ingest records it and a re-match run lists it: the latest
// finished scan is current even when uploads arrive out of order; the watched-tags index lists
// exactly the tags scanned within the window, across all its shards.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WATCH_SHARDS, type TagState } from '../../functions/domain/watch/tag-state.ts';
import { sampleEnvelope } from '../support/envelopes.ts';
import { apiKey, call } from '../support/http.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let org: SeededOrg;
beforeAll(async () => {
  stack = await startTestStack();
  org = await seedOrganization('watched');
});
afterAll(() => stack?.close());

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
async function upload(name: string, tag: string, finishedAt: string): Promise<string> {
  const envelope = sampleEnvelope({ image: { name, tag }, scan: { id: `scn-w${Math.random().toString(36).slice(2, 12)}`, startedAt: finishedAt, finishedAt } });
  expect((await call(stack.baseUrl, 'POST', '/api/scans/upload', apiKey(org.sensorKey), envelope)).status).toBe(200);
  return envelope.scan.id;
}

async function watched(since: string): Promise<TagState[]> {
  const { apiDependencies } = await import('../../functions/composition/api.ts');
  const { tagStates } = apiDependencies();
  const all: TagState[] = [];
  for (let shard = 0; shard < WATCH_SHARDS; shard++) {
    let after: string | undefined;
    do {
      const page = await tagStates.listWatchedTags(shard, since, after);
      all.push(...page.tags);
      after = page.next;
    } while (after);
  }
  return all.filter((state) => state.orgId === org.orgId);
}

it('keeps the latest finished scan current, out-of-order uploads included, and lists only tags scanned within the window', async () => {
  const first = await upload('ghcr.io/acme/web', '1.0', daysAgo(3));
  const latest = await upload('ghcr.io/acme/web', '1.0', daysAgo(1));
  const late = await upload('ghcr.io/acme/web', '1.0', daysAgo(2));
  await upload('ghcr.io/acme/old', '0.1', daysAgo(60));
  const others = await Promise.all(Array.from({ length: 20 }, (_, i) => upload(`ghcr.io/acme/svc${i}`, 'main', daysAgo(5))));

  const states = await watched(daysAgo(30));
  const web = states.filter((s) => s.scanId === first || s.scanId === latest || s.scanId === late);
  expect(web.map((s) => s.scanId)).toEqual([latest]);
  expect(states.map((s) => s.scanId).sort()).toEqual([latest, ...others].sort());
  expect(states.every((s) => s.snapshotHash === null)).toBe(true);
  // A wider window takes the old tag in too.
  expect(await watched(daysAgo(90))).toHaveLength(22);
});
