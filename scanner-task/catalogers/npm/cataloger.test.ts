import { describe, expect, it } from 'vitest';
import { runCataloger } from '../../testing/cataloger-harness.ts';
import { npmCataloger } from './cataloger.ts';

describe('npm cataloger', () => {
  it('reads installed packages only (not manifests nested inside a package)', async () => {
    const { read, errors, packages } = await runCataloger(npmCataloger, {
      'app/node_modules/express/package.json': JSON.stringify({ name: 'express', version: '4.17.1', license: 'MIT' }),
      'app/node_modules/@types/node/package.json': JSON.stringify({ name: '@types/node', version: '20.1.0', licenses: [{ type: 'MIT' }] }),
      'app/node_modules/a/node_modules/b/package.json': JSON.stringify({ name: 'b', version: '1.0.0' }),
      'app/node_modules/express/test/fixtures/package.json': JSON.stringify({ name: 'fixture', version: '0.0.1' }),
      'app/node_modules/broken/package.json': '{ not json',
      'app/node_modules/noversion/package.json': JSON.stringify({ name: 'noversion' }),
      'app/package.json': JSON.stringify({ name: 'app', version: '1.0.0' }),
    });
    expect(read).not.toContain('app/node_modules/express/test/fixtures/package.json');
    expect(errors).toEqual(['app/node_modules/broken/package.json']);
    expect(packages.map((p) => p.purl).sort()).toEqual(['pkg:npm/%40types/node@20.1.0', 'pkg:npm/b@1.0.0', 'pkg:npm/express@4.17.1']);
  });

  it('reads package-lock.json v1 and v3', async () => {
    const v3 = {
      lockfileVersion: 3,
      packages: {
        '': { name: 'app' },
        'node_modules/lodash': { version: '4.17.15', license: 'MIT' },
        'node_modules/a/node_modules/@s/b': { version: '2.0.0' },
        'node_modules/linked': { link: true },
      },
    };
    const v1 = {
      lockfileVersion: 1,
      dependencies: { minimist: { version: '1.2.5', dependencies: { inner: { version: '0.1.0' } } }, local: { version: 'file:../local' } },
    };
    const { packages } = await runCataloger(npmCataloger, { 'srv/package-lock.json': JSON.stringify(v3), 'old/package-lock.json': JSON.stringify(v1) });
    expect(packages.map((p) => `${p.name}@${p.version}`).sort()).toEqual(['@s/b@2.0.0', 'inner@0.1.0', 'lodash@4.17.15', 'minimist@1.2.5']);
  });
});
