import { describe, expect, it } from 'vitest';
import { namesImage, purlCovers } from './product-match.ts';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const OTHER_DIGEST = `sha256:${'cd'.repeat(32)}`;

describe('purlCovers', () => {
  it('compares type, namespace, name and version, ignoring qualifiers and subpath', () => {
    expect(purlCovers('pkg:deb/debian/openssl@3.0.11-1', 'pkg:deb/debian/openssl@3.0.11-1?arch=amd64&distro=debian-12')).toBe(true);
    expect(purlCovers('pkg:npm/lodash@4.17.20#dist/lodash.js', 'pkg:npm/lodash@4.17.20')).toBe(true);
    expect(purlCovers('pkg:deb/debian/openssl@3.0.11-1', 'pkg:deb/debian/openssl@3.0.12-1')).toBe(false);
    expect(purlCovers('pkg:deb/ubuntu/openssl@3.0.11-1', 'pkg:deb/debian/openssl@3.0.11-1')).toBe(false);
    expect(purlCovers('pkg:rpm/redhat/openssl@3.0.11-1', 'pkg:deb/redhat/openssl@3.0.11-1')).toBe(false);
  });

  it('lets a purl without a version cover every version of the package', () => {
    expect(purlCovers('pkg:apk/wolfi/git', 'pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64')).toBe(true);
    expect(purlCovers('pkg:apk/wolfi/git', 'pkg:apk/wolfi/git-lfs@3.0.0')).toBe(false);
  });

  it('reads percent-encoding and scoped npm names, and folds case where the type says names are case-insensitive', () => {
    expect(purlCovers('pkg:npm/%40babel/core@7.23.0', 'pkg:npm/@babel/core@7.23.0')).toBe(true);
    expect(purlCovers('pkg:npm/@babel/core', 'pkg:npm/%40babel/core@7.23.0')).toBe(true);
    expect(purlCovers('pkg:pypi/Django_Rest@1.0', 'pkg:pypi/django-rest@1.0')).toBe(true);
    expect(purlCovers('pkg:maven/org.Apache/commons@1', 'pkg:maven/org.apache/commons@1')).toBe(false);
  });

  it('covers nothing that is not a purl', () => {
    expect(purlCovers('openssl', 'pkg:deb/debian/openssl@3')).toBe(false);
    expect(purlCovers('pkg:deb/debian/openssl', 'not-a-purl')).toBe(false);
  });
});

describe('namesImage', () => {
  const image = { reference: 'ghcr.io/acme/api:1.4', digest: DIGEST };

  it('recognises the image by digest, in a pkg:oci purl (encoded or not) or a reference', () => {
    expect(namesImage(`pkg:oci/api@${DIGEST.replace(':', '%3A')}?repository_url=ghcr.io/acme/api`, image)).toBe(true);
    expect(namesImage(`pkg:oci/api@${DIGEST}`, image)).toBe(true);
    expect(namesImage(`ghcr.io/acme/api@${DIGEST}`, image)).toBe(true);
    expect(namesImage(`pkg:oci/api@${OTHER_DIGEST}`, image)).toBe(false);
    expect(namesImage(`ghcr.io/acme/api@${DIGEST}`, { reference: 'ghcr.io/acme/api:1.4' })).toBe(false);
  });

  it('recognises it by name and tag, normalised like Docker, a product without a tag covering every tag', () => {
    expect(namesImage('ghcr.io/acme/api:1.4', image)).toBe(true);
    expect(namesImage('ghcr.io/acme/api', image)).toBe(true);
    expect(namesImage('ghcr.io/acme/api:1.5', image)).toBe(false);
    expect(namesImage('nginx:1.25', { reference: 'docker.io/library/nginx:1.25' })).toBe(true);
    expect(namesImage('pkg:oci/api?repository_url=ghcr.io/acme/api&tag=1.4', image)).toBe(true);
    expect(namesImage('pkg:oci/api?tag=1.4', image)).toBe(true);
    expect(namesImage('pkg:oci/web?tag=1.4', image)).toBe(false);
  });

  it("reads Docker Scout's pkg:docker purls", () => {
    expect(namesImage('pkg:docker/acme/scout-demo-service@v1', { reference: 'acme/scout-demo-service:v1' })).toBe(true);
    expect(namesImage('pkg:docker/acme/scout-demo-service@v1?repository_url=ghcr.io', { reference: 'ghcr.io/acme/scout-demo-service:v1' })).toBe(true);
    expect(namesImage('pkg:docker/acme/scout-demo-service@v2', { reference: 'acme/scout-demo-service:v1' })).toBe(false);
  });

  it('does not take a package purl or an arbitrary IRI for the image', () => {
    expect(namesImage('pkg:deb/debian/openssl@3.0.11-1', image)).toBe(false);
    expect(namesImage('https://example.com/products/api', image)).toBe(false);
  });
});
