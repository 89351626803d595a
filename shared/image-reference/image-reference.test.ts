import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { formatImageReference, parseImageReference } from './image-reference.ts';

describe('parseImageReference', () => {
  it.each([
    ['nginx', 'docker.io/library/nginx:latest'],
    ['nginx:1.25', 'docker.io/library/nginx:1.25'],
    ['acme/api', 'docker.io/acme/api:latest'],
    ['index.docker.io/library/nginx:1', 'docker.io/library/nginx:1'],
    // Docker Hub's API host is Docker Hub, and official images keep their library/ namespace there too.
    ['registry-1.docker.io/nginx:1', 'docker.io/library/nginx:1'],
    ['Docker.IO/nginx', 'docker.io/library/nginx:latest'],
    ['ghcr.io/acme/api:1.4.7', 'ghcr.io/acme/api:1.4.7'],
    ['localhost:5000/app:dev', 'localhost:5000/app:dev'],
    ['127.0.0.1:5000/example/app', '127.0.0.1:5000/example/app:latest'],
    ['Registry.Example.com/a/b/c:v1', 'registry.example.com/a/b/c:v1'],
    [`alpine@sha256:${'0'.repeat(64)}`, `docker.io/library/alpine@sha256:${'0'.repeat(64)}`],
    [`alpine:3.19@sha256:${'f'.repeat(64)}`, `docker.io/library/alpine:3.19@sha256:${'f'.repeat(64)}`],
    [`alpine@sha512:${'e'.repeat(128)}`, `docker.io/library/alpine@sha512:${'e'.repeat(128)}`],
    ['a__b/c-d.e:tag_1.2-x', 'docker.io/a__b/c-d.e:tag_1.2-x'],
  ])('%s → %s', (input, expected) => {
    expect(formatImageReference(parseImageReference(input))).toBe(expected);
  });

  it.each([
    '',
    'UPPER/case',
    'nginx:',
    'nginx:-bad',
    'a//b',
    'nginx@sha256:short',
    // A digest is a whole one (go-digest's rule): a 32-hex prefix, uppercase hex or an algorithm nobody can verify name no blob.
    `nginx@sha256:${'a'.repeat(32)}`,
    `nginx@sha256:${'A'.repeat(64)}`,
    `nginx@md5:${'a'.repeat(32)}`,
    // Docker reads an uppercase first component as a host; lowercased it would name a Docker Hub repository instead.
    'Acme/api',
    'ghcr.io/',
    'x'.repeat(600),
    'bad host!/x',
    '-a/b',
    `nginx:${'t'.repeat(129)}`,
  ])('rejects %j with a validation error naming the field', (input) => {
    expect(() => parseImageReference(input, 'scans[2].image')).toThrow(ValidationError);
    try {
      parseImageReference(input, 'scans[2].image');
    } catch (error) {
      expect((error as ValidationError).issues[0]!.path).toBe('scans[2].image');
    }
  });
});
