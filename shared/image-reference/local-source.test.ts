import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseLocalSource, resolveLocalSource } from './local-source.ts';

let folder: string;
let outside: string;

beforeAll(() => {
  const base = mkdtempSync(join(tmpdir(), 'hg-local-source-'));
  folder = join(base, 'images');
  outside = join(base, 'outside');
  mkdirSync(join(folder, 'layout'), { recursive: true });
  mkdirSync(join(folder, '..oddly-named'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(folder, 'app.tar'), 'tar');
  writeFileSync(join(outside, 'secret.tar'), 'secret');
  symlinkSync(outside, join(folder, 'escape'));
  symlinkSync(join(folder, 'layout'), join(folder, 'alias'));
});

describe('parseLocalSource', () => {
  it('reads kind, path and tag as skopeo does, and leaves registry references alone', () => {
    expect(parseLocalSource('oci:layout:v1')).toEqual({ kind: 'oci', path: 'layout', tag: 'v1' });
    expect(parseLocalSource('oci-archive:/a/b.tar')).toEqual({ kind: 'oci-archive', path: '/a/b.tar' });
    expect(parseLocalSource('docker-archive:x/y.tar:app')).toEqual({ kind: 'docker-archive', path: 'x/y.tar', tag: 'app' });
    expect(parseLocalSource('ghcr.io/acme/api:1.0')).toBeUndefined();
    expect(parseLocalSource('ocifoo/bar:1')).toBeUndefined();
  });
});

describe('resolveLocalSource', () => {
  const resolved = (path: string, kind: 'oci' | 'oci-archive' = 'oci') => resolveLocalSource({ kind, path }, folder);

  it('accepts paths inside the folder, relative or absolute, by their real path', async () => {
    expect(await resolved('layout')).toEqual({ source: { kind: 'oci', path: expect.stringMatching(/\/images\/layout$/) }, relativePath: 'layout' });
    expect(await resolved(join(folder, 'app.tar'), 'oci-archive')).toMatchObject({ relativePath: 'app.tar' });
    // A symlink that stays inside resolves to its target; a name starting with ".." is still inside.
    expect(await resolved('alias')).toMatchObject({ relativePath: 'layout' });
    expect(await resolved('..oddly-named')).toMatchObject({ relativePath: '..oddly-named' });
  });

  it.each([
    ['a parent path', '../outside'],
    ['an absolute path elsewhere', '/etc'],
    ['a symlink leading out', 'escape'],
    ['a path through a symlink leading out', 'escape/secret.tar'],
    ['the folder itself', '.'],
    ['a missing path', 'nope'],
    ['an empty path', ''],
  ])('refuses %s', async (_label, path) => {
    expect(await resolved(path, path.endsWith('.tar') ? 'oci-archive' : 'oci')).toHaveProperty('refused');
  });

  it('refuses a file for oci: and a directory for an archive', async () => {
    expect(await resolved('app.tar')).toEqual({ refused: 'app.tar is not a directory (an OCI layout)' });
    expect(await resolved('layout', 'oci-archive')).toEqual({ refused: 'layout is not a file (an image archive)' });
  });
});
