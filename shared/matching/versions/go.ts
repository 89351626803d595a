// Go module versions (golang.org/x/mod/semver): "v"-prefixed SemVer, where "v1" and
// "v1.2" are shorthands for "v1.0.0" and "v1.2.0". OSV's Go data drops the "v", so it
// is optional here. "+incompatible" is build metadata and so ignored for precedence.
import { compareParsed, parse as parseSemver, type SemVer } from './semver.ts';
import { memoizeParse, type Comparison } from './version-scheme.ts';

const SHORTHAND = /^(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*))?$/;

export function parse(version: string): SemVer {
  const plain = version.startsWith('v') ? version.slice(1) : version;
  const short = SHORTHAND.exec(plain);
  if (short) return { major: short[1] ?? '0', minor: short[2] ?? '0', patch: '0', prerelease: [] };
  return parseSemver(plain, 'Go');
}

const parseMemo = memoizeParse(parse);

export function compare(a: string, b: string): Comparison {
  return compareParsed(parseMemo(a), parseMemo(b));
}
