import { describe, expect, it } from 'vitest';
import { runCataloger } from '../../testing/cataloger-harness.ts';
import { rubyCataloger } from './cataloger.ts';

// As RubyGems 3.x writes an installed gem's specification.
const RACK = `# -*- encoding: utf-8 -*-
# stub: rack 2.2.8 ruby lib

Gem::Specification.new do |s|
  s.name = "rack".freeze
  s.version = "2.2.8"
  s.licenses = ["MIT".freeze]
  s.summary = "a modular Ruby webserver interface".freeze
end
`;

describe('ruby cataloger', () => {
  it('reads installed gemspecs only', async () => {
    const { read, packages } = await runCataloger(rubyCataloger, {
      'usr/local/bundle/specifications/rack-2.2.8.gemspec': RACK,
      'usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec':
        'Gem::Specification.new do |s|\n  s.name = "json"\n  s.version = Gem::Version.new("2.6.1")\n  s.license = "Ruby"\nend\n',
      'app/vendor/rack/rack.gemspec': RACK,
    });
    expect(read).toHaveLength(2);
    expect(packages.map((p) => `${p.purl} ${p.licenses.join()}`)).toEqual(['pkg:gem/rack@2.2.8 MIT', 'pkg:gem/json@2.6.1 Ruby']);
  });
});
