import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { formatImageReference, parseImageReference } from './image-reference.ts';

describe('parseImageReference', () => {
  it.each([
    ['nginx', 'docker.io/library/nginx:latest'],
    ['nginx:1.25', 'docker.io/library/nginx:1.25'],
    ['acme/api', 'docker.io/acme/api:latest'],
    ['index.docker.io/library/nginx:1', 'docker.io/library/nginx:1'],
    ['ghcr.io/acme/api:1.4.7', 'ghcr.io/acme/api:1.4.7'],
    ['localhost:5000/app:dev', 'localhost:5000/app:dev'],
    ['127.0.0.1:5000/example/app', '127.0.0.1:5000/example/app:latest'],
    ['Registry.Example.com/a/b/c:v1', 'registry.example.com/a/b/c:v1'],
    [`alpine@sha256:${'0'.repeat(64)}`, `docker.io/library/alpine@sha256:${'0'.repeat(64)}`],
    [`alpine:3.19@sha256:${'f'.repeat(64)}`, `docker.io/library/alpine:3.19@sha256:${'f'.repeat(64)}`],
    ['a__b/c-d.e:tag_1.2-x', 'docker.io/a__b/c-d.e:tag_1.2-x'],
  ])('%s → %s', (input, expected) => {
    expect(formatImageReference(parseImageReference(input))).toBe(expected);
  });

  it.each(['', 'UPPER/case', 'nginx:', 'nginx:-bad', 'a//b', 'nginx@sha256:short', 'ghcr.io/', 'x'.repeat(600), 'bad host!/x', '-a/b', `nginx:${'t'.repeat(129)}`])(
    'rejects %j with a validation error naming the field',
    (input) => {
      expect(() => parseImageReference(input, 'scans[2].image')).toThrow(ValidationError);
      try {
        parseImageReference(input, 'scans[2].image');
      } catch (error) {
        expect((error as ValidationError).issues[0]!.path).toBe('scans[2].image');
      }
    },
  );
});
