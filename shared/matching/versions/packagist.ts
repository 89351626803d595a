// Packagist (Composer) versions. Composer first normalises a version (drops a leading "v",
// pads the number to four parts, reads stability words case-insensitively) and then orders
// with PHP's version_compare(): "-", "_", "+" and digit/letter transitions separate parts;
// numbers compare by value; words rank dev < alpha = a < beta = b < rc < (number) < pl = p,
// matched by prefix, and unknown words rank below dev.
import { InvalidVersionError } from './invalid-version-error.ts';
import { compareDigits, memoizeParse, type Comparison } from './version-scheme.ts';

const COMPOSER_VERSION = /^[vV]?[0-9][0-9A-Za-z.+_-]*$/;

// PHP's special forms in its own search order; "#" stands for "a number here".
const SPECIAL_FORMS: ReadonlyArray<readonly [string, number]> = [
  ['dev', 0],
  ['alpha', 1],
  ['a', 1],
  ['beta', 2],
  ['b', 2],
  ['rc', 3],
  ['#', 4],
  ['pl', 5],
  ['p', 5],
];
const NUMBER_FORM = '#N#';
const NORMAL_PARTS = 4;

function formRank(word: string): number {
  for (const [prefix, rank] of SPECIAL_FORMS) if (word.startsWith(prefix)) return rank;
  return -1;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlnum = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

// php_canonicalize_version: every separator becomes "." and digit/non-digit boundaries get one.
function canonicalize(version: string): string {
  let out = version[0] ?? '';
  for (let i = 1; i < version.length; i++) {
    const c = version.charCodeAt(i);
    const prev = version.charCodeAt(i - 1);
    const boundary = prev !== 46 && c !== 46 && isDigit(prev) !== isDigit(c);
    if (!isAlnum(c) || boundary) {
      if (!out.endsWith('.')) out += '.';
      if (!isAlnum(c)) continue;
    }
    out += version[i];
  }
  return out;
}

function comparePart(a: string, b: string): Comparison {
  const da = isDigit(a.charCodeAt(0));
  const db = isDigit(b.charCodeAt(0));
  if (da && db) return compareDigits(leadingDigits(a), leadingDigits(b));
  const ra = formRank(da ? NUMBER_FORM : a);
  const rb = formRank(db ? NUMBER_FORM : b);
  return ra < rb ? -1 : ra > rb ? 1 : 0;
}

const leadingDigits = (s: string): string => /^[0-9]*/.exec(s)?.[0] || '0';

// version_compare on two canonical strings: part by part; when one side runs out, a number
// left on the other side makes it newer, a word is weighed against "#" (a number).
function compareCanonical(a: string[], b: string[]): Comparison {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const result = comparePart(a[i] ?? '', b[i] ?? '');
    if (result !== 0) return result;
  }
  if (a.length === b.length) return 0;
  const longer = a.length > b.length ? a : b;
  const rest = longer.slice(n);
  const first = rest[0] ?? '';
  const restResult: Comparison = isDigit(first.charCodeAt(0)) ? 1 : compareCanonical(rest, [NUMBER_FORM]);
  return longer === a ? restResult : ((0 - restResult) as Comparison);
}

export function parse(version: string): string[] {
  if (!COMPOSER_VERSION.test(version)) throw new InvalidVersionError('Packagist', version, 'not a Composer version ([v]N[.N]...[-suffix])');
  const plain = version[0] === 'v' || version[0] === 'V' ? version.slice(1) : version;
  const parts = canonicalize(plain.toLowerCase()).split('.');
  let numeric = 0;
  while (numeric < parts.length && /^[0-9]+$/.test(parts[numeric] ?? '')) numeric++;
  // 1.2 and 1.2.0.0 are the same Composer version.
  if (numeric < NORMAL_PARTS) parts.splice(numeric, 0, ...Array<string>(NORMAL_PARTS - numeric).fill('0'));
  return parts;
}

const parseMemo = memoizeParse(parse);

export function compare(a: string, b: string): Comparison {
  return compareCanonical(parseMemo(a), parseMemo(b));
}
