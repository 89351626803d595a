// No Alpine mirror is reachable and Debian has no apk-tools: testdata/installed is hand-written in
// apk's documented format (lib/apk/db/installed), including the fields the cataloger must ignore.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCataloger } from '../../testing/cataloger-harness.ts';
import { apkCataloger } from './cataloger.ts';

describe('apk cataloger', () => {
  it('reads name, version, arch, licence and origin from lib/apk/db/installed', async () => {
    const installed = readFileSync(join(import.meta.dirname, 'testdata', 'installed'));
    const { read, packages } = await runCataloger(apkCataloger, { 'lib/apk/db/installed': installed, 'etc/apk/world': 'musl\n', 'lib/apk/db/installed.bak': installed });
    expect(read).toEqual(['lib/apk/db/installed']);
    const completed = packages.map((p) => apkCataloger.complete!(p, { id: 'alpine', versionId: '3.19.1' }));
    expect(completed).toEqual([
      expect.objectContaining({ name: 'musl', version: '1.2.4_git20230717-r4', arch: 'x86_64', licenses: ['MIT'], sourceName: 'musl', purl: 'pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=alpine-3.19.1' }),
      expect.objectContaining({ name: 'libcrypto3', version: '3.1.4-r5', sourceName: 'openssl', sourceVersion: '3.1.4-r5', licenses: ['Apache-2.0'] }),
    ]);
  });
});
