import { describe, expect, it } from 'vitest';
import { schemeForEcosystem, UnknownEcosystemError } from './index.ts';

describe('ecosystem index', () => {
  it.each([
    ['Debian', 'dpkg'],
    ['Debian:12', 'dpkg'],
    ['Ubuntu:22.04:LTS', 'dpkg'],
    ['Alpine', 'apk'],
    ['Alpine:v3.19', 'apk'],
    ['Red Hat', 'rpm'],
    ['Red Hat:enterprise_linux:9::appstream', 'rpm'],
    ['Rocky Linux', 'rpm'],
    ['AlmaLinux:8', 'rpm'],
    ['npm', 'npm'],
    ['PyPI', 'PEP 440'],
    ['Maven', 'Maven'],
    ['Go', 'Go'],
    ['crates.io', 'semver'],
    ['RubyGems', 'RubyGems'],
    ['NuGet', 'NuGet'],
    ['Packagist', 'Packagist'],
  ])('%s uses %s', (ecosystem, scheme) => {
    expect(schemeForEcosystem(ecosystem).name).toBe(scheme);
  });

  it.each(['debian', 'NotAnEcosystem', '', 'toString', 'constructor'])('refuses %j', (ecosystem) => {
    expect(() => schemeForEcosystem(ecosystem)).toThrow(UnknownEcosystemError);
  });
});
