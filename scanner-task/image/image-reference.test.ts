import { describe, expect, it } from 'vitest';
import { parseImageReference } from './image-reference.ts';

describe('parseImageReference', () => {
  it('reads transports with optional tags', () => {
    expect(parseImageReference('oci:/tmp/lay:app')).toEqual({ kind: 'oci', path: '/tmp/lay', tag: 'app' });
    expect(parseImageReference('oci:./lay')).toEqual({ kind: 'oci', path: './lay' });
    expect(parseImageReference('oci-archive:/a/b.tar:v1')).toEqual({ kind: 'oci-archive', path: '/a/b.tar', tag: 'v1' });
    expect(parseImageReference('docker-archive:/a/b.tar')).toEqual({ kind: 'docker-archive', path: '/a/b.tar' });
  });
  it('defaults registry references like docker does', () => {
    expect(parseImageReference('alpine')).toEqual({ kind: 'registry', registry: 'docker.io', repository: 'library/alpine', tag: 'latest' });
    expect(parseImageReference('ghcr.io/o/r:1.2')).toEqual({ kind: 'registry', registry: 'ghcr.io', repository: 'o/r', tag: '1.2' });
    expect(parseImageReference('127.0.0.1:5000/example/app@sha256:' + 'a'.repeat(64))).toEqual({
      kind: 'registry', registry: '127.0.0.1:5000', repository: 'example/app', digest: 'sha256:' + 'a'.repeat(64),
    });
    expect(() => parseImageReference('UPPER/case')).toThrow(/invalid/);
  });
  it.each([
    'registry.example.com/app:../../v2/other/manifests/x',
    'registry.example.com/app:x?y=1',
    'registry.example.com/app@sha256:../../x?y=',
    'registry.example.com/app@sha256:abc',
    'user@evil.example/app:1',
    'registry.example.com#frag/app:1',
  ])('refuses a reference whose parts would change the registry URL: %s', (reference) => {
    expect(() => parseImageReference(reference)).toThrow(/invalid image reference/);
  });
});
