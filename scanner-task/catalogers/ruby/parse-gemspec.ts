// Installed gem specifications (specifications/<name>-<version>.gemspec, as RubyGems writes them):
// the generated Ruby assigns s.name, s.version and s.licenses with literal values.
import type { PackageDraft } from '#shared/packages/package.ts';
import { buildPurl } from '../../model/purl.ts';

const literal = (text: string, field: string): string | undefined =>
  new RegExp(`\\.${field}\\s*=\\s*["']([^"']+)["']`).exec(text)?.[1] ??
  // RubyGems writes versions as Gem::Version.new("1.2.3") in some releases.
  new RegExp(`\\.${field}\\s*=\\s*Gem::Version\\.new\\(["']([^"']+)["']\\)`).exec(text)?.[1];

export function parseGemspec(text: string): PackageDraft[] {
  const name = literal(text, 'name');
  const version = literal(text, 'version');
  if (!name || !version) return [];
  const list = /\.licenses\s*=\s*\[([^\]]*)\]/.exec(text)?.[1];
  const licenses = list ? [...list.matchAll(/["']([^"']+)["']/g)].map((m) => m[1]!) : [literal(text, 'license')].filter((l): l is string => !!l);
  return [{ name, version, type: 'gem', purl: buildPurl({ type: 'gem', name, version }), licenses }];
}
