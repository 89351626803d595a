import { describe, expect, it } from 'vitest';
import { runCataloger } from '../../testing/cataloger-harness.ts';
import { pythonCataloger } from './cataloger.ts';

describe('python cataloger', () => {
  it('reads dist-info METADATA, egg-info PKG-INFO and egg-info files, with licences', async () => {
    const { read, packages } = await runCataloger(pythonCataloger, {
      'usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA':
        'Metadata-Version: 2.1\nName: requests\nVersion: 2.28.1\nLicense: Apache 2.0\n\nRequests is...\nLicense: not a header\n',
      'usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO':
        'Metadata-Version: 1.2\nName: six\nVersion: 1.16.0\nLicense: UNKNOWN\nClassifier: License :: OSI Approved :: MIT License\n',
      'usr/local/lib/python3.11/site-packages/Foo_Bar.egg-info': 'Metadata-Version: 2.4\nName: Foo_Bar\nVersion: 1.0\nLicense-Expression: MIT OR Apache-2.0\n',
      'usr/lib/python3/dist-packages/requests-2.28.1.dist-info/RECORD': 'x',
      'usr/lib/python3/dist-packages/requests/__init__.py': 'x',
    });
    expect(read).toHaveLength(3);
    expect(packages.map((p) => `${p.purl} ${p.licenses.join('|')}`)).toEqual([
      'pkg:pypi/requests@2.28.1 Apache 2.0',
      'pkg:pypi/six@1.16.0 MIT License',
      'pkg:pypi/foo-bar@1.0 MIT OR Apache-2.0',
    ]);
  });
});
