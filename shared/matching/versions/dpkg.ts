// Debian/Ubuntu version order, exactly as `dpkg --compare-versions` (lib/dpkg/version.c).
// Inputs dpkg rejects with an error throw; inputs dpkg only warns about (no leading digit,
// odd characters) are ordered the way dpkg orders them, because dpkg still answers.
import { InvalidVersionError } from './invalid-version-error.ts';
import { memoizeParse, sign, type Comparison } from './version-scheme.ts';

interface DpkgVersion {
  epoch: number;
  upstream: string;
  revision: string;
}

const MAX_EPOCH = 2147483647;
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

function invalid(version: string, reason: string): InvalidVersionError {
  return new InvalidVersionError('dpkg', version, reason);
}

export function parse(version: string): DpkgVersion {
  let start = 0;
  let end = version.length;
  while (start < end && isSpace(version.charCodeAt(start))) start++;
  while (end > start && isSpace(version.charCodeAt(end - 1))) end--;
  if (start === end) throw invalid(version, 'version string is empty');
  let text = start === 0 && end === version.length ? version : version.slice(start, end);
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) throw invalid(version, 'version string has embedded spaces');
    if (c > 127) ascii = false;
  }
  // dpkg works on bytes; non-ASCII text is compared as its UTF-8 bytes, one char per byte.
  if (!ascii) text = Buffer.from(text, 'utf8').toString('latin1');

  let epoch = 0;
  const colon = text.indexOf(':');
  if (colon >= 0) {
    // strtol semantics: an optional sign, then digits, and nothing else before the colon.
    const epochText = text.slice(0, colon);
    const digits = /^[+-]?([0-9]*)$/.exec(epochText);
    if (!digits || digits[1] === '') throw invalid(version, 'epoch in version is empty');
    const value = Number(digits[1]);
    if (epochText.startsWith('-') && value !== 0) throw invalid(version, 'epoch in version is negative');
    if (value > MAX_EPOCH) throw invalid(version, 'epoch in version is too big');
    if (colon === text.length - 1) throw invalid(version, 'nothing after colon in version number');
    epoch = value;
    text = text.slice(colon + 1);
  }
  let upstream = text;
  let revision = '';
  const hyphen = text.lastIndexOf('-');
  if (hyphen >= 0) {
    upstream = text.slice(0, hyphen);
    revision = text.slice(hyphen + 1);
    if (revision === '') throw invalid(version, 'revision number is empty');
  }
  if (upstream === '') throw invalid(version, 'version number is empty');
  return { epoch, upstream, revision };
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

// Sort weight of one character: '~' before the end of the string, letters before
// everything else that is not a digit.
function order(s: string, i: number): number {
  if (i >= s.length) return 0;
  const c = s.charCodeAt(i);
  if (isDigit(c)) return 0;
  if (isAlpha(c)) return c;
  if (c === 126) return -1;
  return c >= 128 ? c : c + 256;
}

function digitAt(s: string, i: number): boolean {
  return i < s.length && isDigit(s.charCodeAt(i));
}

export function compareFragment(a: string, b: string): Comparison {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !digitAt(a, i)) || (j < b.length && !digitAt(b, j))) {
      const diff = order(a, i) - order(b, j);
      if (diff !== 0) return sign(diff);
      i++;
      j++;
    }
    // Numbers by value: skip leading zeros; then the longer run wins, else the first differing digit.
    while (i < a.length && a.charCodeAt(i) === 48) i++;
    while (j < b.length && b.charCodeAt(j) === 48) j++;
    let firstDiff = 0;
    while (digitAt(a, i) && digitAt(b, j)) {
      if (firstDiff === 0) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (digitAt(a, i)) return 1;
    if (digitAt(b, j)) return -1;
    if (firstDiff !== 0) return sign(firstDiff);
  }
  return 0;
}

const parseMemo = memoizeParse(parse);

export function compare(a: string, b: string): Comparison {
  const va = parseMemo(a);
  const vb = parseMemo(b);
  if (va.epoch !== vb.epoch) return va.epoch < vb.epoch ? -1 : 1;
  return compareFragment(va.upstream, vb.upstream) || compareFragment(va.revision, vb.revision);
}
