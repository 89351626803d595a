// RubyGems versions (Gem::Version): dot-separated numbers and letter runs; a letter makes
// it a pre-release, "-" is read as ".pre.". Trailing zeros of the numeric part and of the
// part after the first letter run are ignored; a string segment sorts below any number.
import { InvalidVersionError } from './invalid-version-error.ts';
import { compareDigits, compareStrings, memoizeParse, type Comparison } from './version-scheme.ts';

const GEM_VERSION = /^\s*[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?\s*$/;

type Segment = string | { digits: string };

const isZero = (s: Segment): boolean => typeof s !== 'string' && /^0+$/.test(s.digits);

function dropTrailingZeros(segments: Segment[]): Segment[] {
  let end = segments.length;
  while (end > 0 && isZero(segments[end - 1] as Segment)) end--;
  return segments.slice(0, end);
}

export function parse(version: string): Segment[] {
  if (!GEM_VERSION.test(version)) throw new InvalidVersionError('RubyGems', version, 'not a Gem::Version (N[.N|.word]...[-pre])');
  const text = version.trim().replaceAll('-', '.pre.');
  const segments: Segment[] = (text.match(/[0-9]+|[a-z]+/gi) ?? []).map((s) => (/^[0-9]/.test(s) ? { digits: s } : s));
  const firstString = segments.findIndex((s) => typeof s === 'string');
  if (firstString === -1) return dropTrailingZeros(segments);
  return [...dropTrailingZeros(segments.slice(0, firstString)), ...dropTrailingZeros(segments.slice(firstString))];
}

const ZERO: Segment = { digits: '0' };

const parseMemo = memoizeParse(parse);

export function compare(a: string, b: string): Comparison {
  const sa = parseMemo(a);
  const sb = parseMemo(b);
  const n = Math.max(sa.length, sb.length);
  for (let i = 0; i < n; i++) {
    const x = sa[i] ?? ZERO;
    const y = sb[i] ?? ZERO;
    if (typeof x === 'string' && typeof y === 'string') {
      const result = compareStrings(x, y);
      if (result !== 0) return result;
    } else if (typeof x === 'string' || typeof y === 'string') {
      return typeof x === 'string' ? -1 : 1;
    } else {
      const result = compareDigits(x.digits, y.digits);
      if (result !== 0) return result;
    }
  }
  return 0;
}
