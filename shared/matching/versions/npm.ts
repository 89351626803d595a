// npm versions: SemVer 2.0.0 as node-semver parses it in strict mode, which also takes a
// leading "v" or "=" and surrounding whitespace, and caps numbers at 2^53-1 and length at 256.
import { InvalidVersionError } from './invalid-version-error.ts';
import { compareParsed, parse as parseSemver, type SemVer } from './semver.ts';
import { memoizeParse, type Comparison } from './version-scheme.ts';

const MAX_LENGTH = 256;

export function parse(version: string): SemVer {
  if (version.length > MAX_LENGTH) throw new InvalidVersionError('npm', version, `longer than ${MAX_LENGTH} characters`);
  const trimmed = version.trim();
  const plain = trimmed.startsWith('v') || trimmed.startsWith('=') ? trimmed.slice(1) : trimmed;
  const parsed = parseSemver(plain, 'npm');
  for (const n of [parsed.major, parsed.minor, parsed.patch]) {
    if (n.length > 15 && Number(n) > Number.MAX_SAFE_INTEGER) {
      throw new InvalidVersionError('npm', version, `${n} is above Number.MAX_SAFE_INTEGER`);
    }
  }
  return parsed;
}

const parseMemo = memoizeParse(parse);

export function compare(a: string, b: string): Comparison {
  return compareParsed(parseMemo(a), parseMemo(b));
}
