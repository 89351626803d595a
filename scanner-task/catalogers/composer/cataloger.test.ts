import { describe, expect, it } from 'vitest';
import { runCataloger } from '../../testing/cataloger-harness.ts';
import { composerCataloger } from './cataloger.ts';

// Shapes as Composer 2 writes them (trimmed to the fields that matter plus a few it always has).
const installed = {
  packages: [
    { name: 'monolog/monolog', version: '3.5.0', version_normalized: '3.5.0.0', type: 'library', license: ['MIT'], 'install-path': '../monolog/monolog' },
    { name: 'symfony/http-foundation', version: 'v6.4.0', version_normalized: '6.4.0.0', license: ['MIT'] },
    { name: 'phpunit/phpunit', version: '10.5.3', license: ['BSD-3-Clause'] },
  ],
  dev: true,
  'dev-package-names': ['phpunit/phpunit'],
};
const lock = {
  'content-hash': 'abc',
  packages: [{ name: 'guzzlehttp/guzzle', version: '7.8.1', license: ['MIT'] }],
  'packages-dev': [{ name: 'mockery/mockery', version: '1.6.7', license: 'BSD-3-Clause' }],
};

describe('composer cataloger', () => {
  it('lists installed packages (dev ones are on disk too) with purl and licences', async () => {
    const { read, packages } = await runCataloger(composerCataloger, {
      'app/vendor/composer/installed.json': JSON.stringify(installed),
      'app/vendor/monolog/monolog/composer.json': '{}',
    });
    expect(read).toEqual(['app/vendor/composer/installed.json']);
    expect(packages.map((p) => [p.purl, p.licenses])).toEqual([
      ['pkg:composer/monolog/monolog@3.5.0', ['MIT']],
      ['pkg:composer/symfony/http-foundation@v6.4.0', ['MIT']],
      ['pkg:composer/phpunit/phpunit@10.5.3', ['BSD-3-Clause']],
    ]);
  });

  it('reads Composer 1 installed.json (a bare array) and both lists of a lockfile', async () => {
    const { packages } = await runCataloger(composerCataloger, {
      'srv/vendor/composer/installed.json': JSON.stringify([{ name: 'psr/log', version: '1.1.4' }]),
      'srv/composer.lock': JSON.stringify(lock),
    });
    expect(packages.map((p) => p.purl)).toEqual(['pkg:composer/psr/log@1.1.4', 'pkg:composer/guzzlehttp/guzzle@7.8.1', 'pkg:composer/mockery/mockery@1.6.7']);
  });

  it('skips look-alike paths, entries that are not Packagist packages, and reports broken JSON', async () => {
    const { read, packages, errors } = await runCataloger(composerCataloger, {
      'x/myvendor/composer/installed.json': '[]',
      'app/composer.lock.bak': '{}',
      'a/composer.lock': JSON.stringify({ packages: [{ name: 'NoSlash', version: '1.0' }, { name: 'a/b' }, { name: 'ok/pkg', version: '2.0.0' }] }),
      'b/vendor/composer/installed.json': '{"packages": [',
    });
    expect(read).toEqual(['a/composer.lock', 'b/vendor/composer/installed.json']);
    expect(packages.map((p) => p.purl)).toEqual(['pkg:composer/ok/pkg@2.0.0']);
    expect(errors).toEqual(['b/vendor/composer/installed.json']);
  });
});
