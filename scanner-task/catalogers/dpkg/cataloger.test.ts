import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCataloger } from '../../testing/cataloger-harness.ts';
import { dpkgCataloger } from './cataloger.ts';

const testdata = (name: string): Buffer => readFileSync(join(import.meta.dirname, 'testdata', name));

describe('dpkg cataloger', () => {
  it('reads distroless status.d files (no Status field) and skips their md5sums', async () => {
    const { read, packages } = await runCataloger(dpkgCataloger, {
      'var/lib/dpkg/status.d/base-files': testdata('status.d-base-files'),
      'var/lib/dpkg/status.d/libssl3': testdata('status.d-libssl3'),
      'var/lib/dpkg/status.d/libssl3.md5sums': 'abc  usr/lib/x86_64-linux-gnu/libssl.so.3\n',
      'var/lib/dpkg/status.d/nested/ignored': testdata('status.d-libssl3'),
    });
    expect(read).toEqual(['var/lib/dpkg/status.d/base-files', 'var/lib/dpkg/status.d/libssl3']);
    expect(packages.map((p) => `${p.name} ${p.version} ${p.sourceName} ${p.sourceVersion}`)).toEqual([
      'base-files 12.4+deb12u5 base-files 12.4+deb12u5',
      'libssl3 3.0.13-1~deb12u1 openssl 3.0.13-1~deb12u1',
    ]);
  });

  it('keeps only installed packages, and reads source versions, binNMUs and epochs', async () => {
    const status = [
      'Package: removed\nStatus: deinstall ok config-files\nVersion: 1.0\n',
      'Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b7\nArchitecture: amd64\n',
      'Package: bsdutils\nStatus: install ok installed\nVersion: 1:2.38.1-5+deb12u3\nSource: util-linux (2.38.1-5+deb12u3)\nArchitecture: amd64\n',
      'Package: held\nStatus: hold ok installed\nVersion: 2\n',
    ].join('\n');
    const { packages } = await runCataloger(dpkgCataloger, { 'var/lib/dpkg/status': status });
    expect(packages.map((p) => `${p.name} ${p.version} ${p.sourceName} ${p.sourceVersion}`)).toEqual([
      'bash 5.2.15-2+b7 bash 5.2.15-2',
      'bsdutils 1:2.38.1-5+deb12u3 util-linux 2.38.1-5+deb12u3',
      'held 2 held 2',
    ]);
  });

  it('keeps only language-metadata paths from info/*.list', async () => {
    const { results } = await runCataloger(dpkgCataloger, {
      'var/lib/dpkg/info/python3-yaml:amd64.list':
        '/.\n/usr\n/usr/lib/python3/dist-packages/PyYAML-6.0.dist-info\n/usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA\n/usr/lib/python3/dist-packages/yaml/__init__.py\n',
    });
    expect(results[0]!.result.owned).toEqual([
      {
        owner: { type: 'deb', name: 'python3-yaml', arch: 'amd64' },
        paths: ['usr/lib/python3/dist-packages/PyYAML-6.0.dist-info', 'usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA'],
      },
    ]);
  });
});

describe('dpkg copyright files', () => {
  it('reads DEP-5 License fields, else common-licenses references', async () => {
    const dep5 =
      'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nCopyright: 2000 X\nLicense: GPL-2+\n\nFiles: lib/*\nLicense: LGPL-2.1+\n\nLicense: GPL-2+\n This program is free software...\n';
    const legacy = 'This package is under the GPL.\nOn Debian systems see /usr/share/common-licenses/GPL-3.\n';
    const { read, results } = await runCataloger(dpkgCataloger, {
      'usr/share/doc/bash/copyright': dep5,
      'usr/share/doc/tar/copyright': legacy,
      'usr/share/doc/tar/changelog.gz': 'x',
      'usr/share/doc/tar/examples/copyright': 'x',
    });
    expect(read).toEqual(['usr/share/doc/bash/copyright', 'usr/share/doc/tar/copyright']);
    expect(results.map((r) => r.result.licenses)).toEqual([[{ name: 'bash', licenses: ['GPL-2+', 'LGPL-2.1+'] }], [{ name: 'tar', licenses: ['GPL-3'] }]]);
  });
});
