import { describe, expect, it } from 'vitest';
import { buildPurl } from './purl.ts';

describe('buildPurl', () => {
  it('encodes per the purl spec examples', () => {
    expect(buildPurl({ type: 'deb', namespace: 'debian', name: 'curl', version: '7.50.3-1', qualifiers: { arch: 'i386', distro: 'jessie' } })).toBe(
      'pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie',
    );
    expect(buildPurl({ type: 'npm', namespace: '@angular', name: 'animation', version: '12.3.1' })).toBe('pkg:npm/%40angular/animation@12.3.1');
    expect(buildPurl({ type: 'maven', namespace: 'org.apache.xmlgraphics', name: 'batik-anim', version: '1.9.1' })).toBe(
      'pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1',
    );
    expect(buildPurl({ type: 'golang', namespace: 'github.com/gorilla', name: 'context', version: 'v1.1.2' })).toBe(
      'pkg:golang/github.com/gorilla/context@v1.1.2',
    );
  });
  it('keeps epochs readable and drops empty qualifiers', () => {
    expect(buildPurl({ type: 'deb', namespace: 'debian', name: 'bsdutils', version: '1:2.38.1-5', qualifiers: { arch: 'amd64', epoch: undefined } })).toBe(
      'pkg:deb/debian/bsdutils@1:2.38.1-5?arch=amd64',
    );
    expect(buildPurl({ type: 'pypi', name: 'a b', version: '1.0+local' })).toBe('pkg:pypi/a%20b@1.0%2Blocal');
  });
});
