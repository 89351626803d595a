// RPM version order (Red Hat, Rocky, AlmaLinux), as rpm 4.18's `rpm.vercmp`: the strings
// are split into [epoch:]version[-release] (rpmverParse), epochs default to 0, versions
// and releases are compared with rpmvercmp, and when versions tie, a release present on
// one side only makes that side newer. rpm accepts any non-empty string.
import { InvalidVersionError } from './invalid-version-error.ts';
import { compareDigits, compareStrings, memoizeParse, type Comparison } from './version-scheme.ts';

interface Evr {
  epoch: string;
  version: string;
  release: string | undefined;
}

export function parse(text: string): Evr {
  if (text === '') throw new InvalidVersionError('rpm', text, 'version string is empty');
  let s = 0;
  while (s < text.length && isDigit(text.charCodeAt(s))) s++;
  // The release separator is searched for only after a leading run of epoch digits.
  const hyphen = text.lastIndexOf('-');
  const release = hyphen >= s ? text.slice(hyphen + 1) : undefined;
  const versionEnd = hyphen >= s ? hyphen : text.length;
  if (text.charCodeAt(s) === 58 /* : */) {
    return { epoch: text.slice(0, s) || '0', version: text.slice(s + 1, versionEnd), release };
  }
  return { epoch: '0', version: text.slice(0, versionEnd), release };
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const TILDE = 126;
const CARET = 94;

// rpmvercmp: alternating numeric and alphabetic segments; everything else separates them.
export function vercmp(a: string, b: string): Comparison {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && !isSegmentStart(a.charCodeAt(i))) i++;
    while (j < b.length && !isSegmentStart(b.charCodeAt(j))) j++;
    const ca = i < a.length ? a.charCodeAt(i) : 0;
    const cb = j < b.length ? b.charCodeAt(j) : 0;
    if (ca === 0 && cb === 0) return 0;
    // '~' sorts before anything, even the end of the string.
    if (ca === TILDE || cb === TILDE) {
      if (ca !== TILDE) return 1;
      if (cb !== TILDE) return -1;
      i++;
      j++;
      continue;
    }
    // '^' sorts after the end of the string but before any other segment.
    if (ca === CARET || cb === CARET) {
      if (ca === 0) return -1;
      if (cb === 0) return 1;
      if (ca !== CARET) return 1;
      if (cb !== CARET) return -1;
      i++;
      j++;
      continue;
    }
    if (ca === 0 || cb === 0) return ca === 0 ? -1 : 1;

    const numeric = isDigit(ca);
    const inSegment = numeric ? isDigit : isAlpha;
    const si = i;
    const sj = j;
    while (i < a.length && inSegment(a.charCodeAt(i))) i++;
    while (j < b.length && inSegment(b.charCodeAt(j))) j++;
    // A numeric segment is newer than an alphabetic one.
    if (j === sj) return numeric ? 1 : -1;
    const result = numeric ? compareDigits(a.slice(si, i), b.slice(sj, j)) : compareStrings(a.slice(si, i), b.slice(sj, j));
    if (result !== 0) return result;
  }
}

function isSegmentStart(c: number): boolean {
  return isDigit(c) || isAlpha(c) || c === TILDE || c === CARET;
}

const parseMemo = memoizeParse(parse);

export function compare(a: string, b: string): Comparison {
  const va = parseMemo(a);
  const vb = parseMemo(b);
  const byEpoch = vercmp(va.epoch, vb.epoch);
  if (byEpoch !== 0) return byEpoch;
  const byVersion = vercmp(va.version, vb.version);
  if (byVersion !== 0) return byVersion;
  if (va.release !== undefined && vb.release !== undefined) return vercmp(va.release, vb.release);
  if (va.release !== undefined) return 1;
  if (vb.release !== undefined) return -1;
  return 0;
}
