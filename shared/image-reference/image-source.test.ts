import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { parseImageSource } from './image-source.ts';

describe('parseImageSource', () => {
  it('reads local transports with optional tags', () => {
    expect(parseImageSource('oci:/tmp/lay:app')).toEqual({ kind: 'oci', path: '/tmp/lay', tag: 'app' });
    expect(parseImageSource('oci:./lay')).toEqual({ kind: 'oci', path: './lay' });
    expect(parseImageSource('oci-archive:/a/b.tar:v1')).toEqual({ kind: 'oci-archive', path: '/a/b.tar', tag: 'v1' });
    expect(parseImageSource('docker-archive:/a/b.tar')).toEqual({ kind: 'docker-archive', path: '/a/b.tar' });
    expect(() => parseImageSource('oci:')).toThrow(ValidationError);
  });

  it('reads a registry source, with or without docker://, as the one image-reference parser does', () => {
    expect(parseImageSource('docker://alpine')).toEqual({ kind: 'registry', registry: 'docker.io', repository: 'library/alpine', tag: 'latest', digest: null });
    expect(parseImageSource(`127.0.0.1:5000/example/app@sha256:${'a'.repeat(64)}`)).toEqual({
      kind: 'registry',
      registry: '127.0.0.1:5000',
      repository: 'example/app',
      tag: null,
      digest: `sha256:${'a'.repeat(64)}`,
    });
    // The scanner's own parser kept the host's spelling and dialled registry-1.docker.io as a registry of its own.
    expect(parseImageSource('Registry.Example.com/app:1')).toMatchObject({ registry: 'registry.example.com' });
    expect(parseImageSource('registry-1.docker.io/nginx:1')).toMatchObject({ registry: 'docker.io', repository: 'library/nginx' });
  });

  it.each([
    'registry.example.com/app:../../v2/other/manifests/x',
    'registry.example.com/app:x?y=1',
    'registry.example.com/app@sha256:../../x?y=',
    'registry.example.com/app@sha256:abc',
    'user@evil.example/app:1',
    'registry.example.com#frag/app:1',
    'UPPER/case',
  ])('refuses a reference whose parts would change the registry URL or are not Docker references: %s', (reference) => {
    expect(() => parseImageSource(reference)).toThrow(/Invalid image reference/);
  });
});
