// Registry push → scan → webhook, end to end and with no API call to start it: a real registry
// (Debian's docker-registry) sends its own notifications to POST /api/hooks/{id} when skopeo
// pushes; exactly one scan starts for the pushed manifest, the pipeline runs it to COMPLETE,
// and its scan.completed reaches a receiver that verifies it with `standardwebhooks`, with the
// findings diff. Pushing the same digest under a second tag starts none and adds the tag to
// that scan. Wrong secrets, redeliveries and paused integrations are answered as documented.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../scanner-task/match/build-snapshot.ts';
import { missingTools } from '../../scanner-task/testing/tools.ts';
import { push, startRegistry, type LocalRegistry } from '../../scanner-task/testing/local-registry.ts';
import { LODASH_ADVISORY, waitForStatus, writeAppImage } from '../pipeline/pipeline-support.ts';
import { apiKey, call, type Credential } from '../support/http.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const skip = missingTools('docker-registry', 'skopeo');

describe.skipIf(skip)(`registry push hooks${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let stack: TestStack;
  let org: SeededOrg;
  let admin: Credential;
  let registry: LocalRegistry;
  let integration: { id: string; secret: string; hookUrl: string };
  let source: string;
  let receiver: Server;
  let webhookSecret: string;
  const deliveries: Array<{ headers: Record<string, string>; body: string }> = [];

  beforeAll(async () => {
    // The scanner tasks match against an advisory snapshot built from an OSV fixture, as in a deployment.
    const dbDir = mkdtempSync(join(tmpdir(), 'hg-db-'));
    writeFileSync(join(dbDir, 'lodash.json'), JSON.stringify(LODASH_ADVISORY));
    await buildSnapshot({ from: [dbDir], output: join(dbDir, 'advisories.db') });
    stack = await startTestStack({ pipeline: true, env: { HARBORGUARD_DB: join(dbDir, 'advisories.db') } });
    org = await seedOrganization('pushhooks');
    admin = apiKey(org.apiKeys.admin);
    const created = await call(stack.baseUrl, 'POST', '/api/integrations', admin, {
      provider: 'distribution',
      name: 'lab registry',
      filters: { repositories: ['example/**'] },
      dedupWindowSeconds: 600,
    });
    expect(created.status).toBe(201);
    integration = created.body.data;
    registry = await startRegistry({ notify: { url: `${stack.baseUrl}${integration.hookUrl}`, token: integration.secret } });
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        deliveries.push({
          headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)])),
          body: Buffer.concat(chunks).toString(),
        });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const subscribed = await call(stack.baseUrl, 'POST', '/api/webhooks', admin, {
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
      events: ['scan.completed'],
    });
    webhookSecret = subscribed.body.data.secret;
    source = await writeAppImage();
  }, 120_000);
  afterAll(async () => {
    await registry?.stop();
    await stack?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  const pushScans = async () => (await call(stack.baseUrl, 'GET', '/api/scans?trigger=registry-push', admin)).body;
  const scan = async (id: string) => (await call(stack.baseUrl, 'GET', `/api/scans/${id}`, admin)).body.data;
  const hook = (body: unknown, token = integration.secret) =>
    fetch(`${stack.baseUrl}${integration.hookUrl}`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.docker.distribution.events.v1+json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });

  it(
    'starts one scan for a pushed manifest that completes and reaches a verified receiver; the same digest under a second tag joins it',
    { timeout: 120_000 },
    async () => {
      push(source, registry.host, 'example/app:1.0');
      let listed;
      // The registry notifies asynchronously: wait for its event to arrive.
      do listed = await pushScans();
      while (listed.meta.total === 0);
      expect(listed.meta.total).toBe(1);
      const started = await scan(listed.data[0].id);
      expect(started.image).toMatchObject({ name: `${registry.host}/example/app`, tag: '1.0', digest: expect.stringMatching(/^sha256:[a-f0-9]{64}$/) });
      expect(started.trigger).toMatchObject({ kind: 'registry-push', integrationId: integration.id, provider: 'distribution', tags: ['1.0'] });

      const finished = await waitForStatus(stack.baseUrl, admin, started.id, (status) => status === 'COMPLETE' || status === 'FAILED');
      expect(finished.status, JSON.stringify(finished)).toBe('COMPLETE');
      const completed = async () =>
        deliveries
          .map((d) => new StandardWebhook(webhookSecret).verify(d.body, d.headers) as { type: string; data: any })
          .find((p) => p.data.scan.id === started.id);
      let event;
      // The receiver hears of it after the status read above: wait for the delivery.
      while (!(event = await completed())) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(event.type).toBe('scan.completed');
      expect(event.data.previousScanId).toBeNull();
      expect(event.data.newFindings.items.map((f: { cveId: string; package: string }) => f.package)).toContain('lodash');

      push(`docker://${registry.host}/example/app:1.0`, registry.host, 'example/app:1.1', ['--src-tls-verify=false']);
      let joined;
      do joined = await scan(started.id);
      while (!joined.trigger.tags.includes('1.1'));
      expect(joined.trigger.tags).toEqual(['1.0', '1.1']);
      expect((await pushScans()).meta.total).toBe(1);
      // Scans started by the API are listed apart.
      expect((await call(stack.baseUrl, 'GET', '/api/scans?trigger=api', admin)).body.data.map((s: { id: string }) => s.id)).not.toContain(started.id);
    },
  );

  it('refuses a wrong secret, answers a redelivery as a duplicate, skips filtered repositories, and ignores everything while paused', async () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const event = (id: string, repository: string) => ({
      events: [
        {
          id,
          timestamp: new Date().toISOString(),
          action: 'push',
          target: {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest,
            repository,
            tag: '2.0',
            url: `http://${registry.host}/v2/${repository}/manifests/${digest}`,
          },
          request: { host: registry.host, method: 'PUT' },
        },
      ],
    });
    const wrong = await hook(event('evt-1', 'example/other'), 'hg_hk_wrong');
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error.code).toBe('UNAUTHORIZED');

    const first = await hook(event('evt-1', 'example/other'));
    expect(first.status).toBe(202);
    const accepted = (await first.json()).data;
    expect(accepted).toMatchObject({ status: 'accepted', pushes: [{ image: `${registry.host}/example/other`, tag: '2.0', outcome: 'scan-started' }] });
    const again = await hook(event('evt-1', 'example/other'));
    expect(again.status).toBe(200);
    expect((await again.json()).data.status).toBe('duplicate');

    const filtered = await hook(event('evt-2', 'elsewhere/app'));
    expect((await filtered.json()).data.pushes).toEqual([
      { image: `${registry.host}/elsewhere/app`, tag: '2.0', outcome: 'skipped', reason: expect.stringContaining('matches none of example/**') },
    ]);

    const garbage = await fetch(`${stack.baseUrl}${integration.hookUrl}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${integration.secret}` },
      body: 'not json',
    });
    expect(garbage.status).toBe(400);
    expect((await garbage.json()).error.code).toMatch(/BAD_REQUEST|VALIDATION_ERROR/);

    expect((await call(stack.baseUrl, 'PATCH', `/api/integrations/${integration.id}`, admin, { active: false })).status).toBe(200);
    const paused = await hook(event('evt-3', 'example/third'));
    expect(paused.status).toBe(202);
    expect((await paused.json()).data).toEqual({ status: 'ignored', reason: 'The integration is paused' });
  });
});
