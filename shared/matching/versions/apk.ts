// Alpine (apk-tools 3) version order: number{.number}...{letter}{_suffix{number}}...{~hash}{-r#}
// (doc/apk-package.5). Versions are split into typed tokens and compared token by token;
// when one runs out first, the longer one is newer unless what it has next is a
// pre-release suffix (_alpha, _beta, _pre, _rc).
//
// Any string is ordered, as apk's own comparison (apk_version_compare in src/version.c)
// orders it: lexing stops at the first character the grammar does not allow, and that
// stop is one more token kind, ranked below the end of a valid version. Alpine's
// advisory data holds such versions ("5.1p1-r0": a digit after a letter), which
// `apk version -c` rejects; refusing them would mean those advisories never match.
import { compareDigits, compareStrings, memoizeParse, type Comparison } from './version-scheme.ts';

// Token kinds in the order the grammar allows them; a later kind never precedes an earlier
// one. End and Invalid close every token list; when two lists differ in kind at some
// token, the later kind is the older version (so an invalid rest is older than none).
const enum Kind {
  Initial,
  Digit,
  Letter,
  Suffix,
  SuffixNumber,
  Hash,
  Revision,
  End,
  Invalid,
}

// Suffix ranks: below NONE are pre-releases, above are post-releases.
const SUFFIX_NONE = 5;
const SUFFIXES = new Map([
  ['alpha', 1],
  ['beta', 2],
  ['pre', 3],
  ['rc', 4],
  ['cvs', 6],
  ['svn', 7],
  ['git', 8],
  ['hg', 9],
  ['p', 10],
]);

interface Token {
  kind: Kind;
  text: string;
  suffix: number;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLower = (c: number): boolean => c >= 97 && c <= 122;
const isHex = (c: number): boolean => isDigit(c) || (c >= 97 && c <= 102);

function span(s: string, from: number, accept: (c: number) => boolean): number {
  let i = from;
  while (i < s.length && accept(s.charCodeAt(i))) i++;
  return i;
}

const END: Token = { kind: Kind.End, text: '', suffix: 0 };
const INVALID: Token = { kind: Kind.Invalid, text: '', suffix: 0 };

/** The version's tokens, the last one End (a valid version) or Invalid (where lexing stopped). */
export function tokenize(version: string): Token[] {
  let i = span(version, 0, isDigit);
  if (i === 0) return [INVALID];
  const tokens: Token[] = [{ kind: Kind.Initial, text: version.slice(0, i), suffix: 0 }];
  let kind: Kind = Kind.Initial;
  while (i < version.length) {
    const c = version.charCodeAt(i);
    const start = i;
    let token: Token = INVALID;
    if (c === 46 /* . */ && kind <= Kind.Digit) {
      i = span(version, i + 1, isDigit);
      if (i > start + 1) token = { kind: Kind.Digit, text: version.slice(start + 1, i), suffix: 0 };
    } else if (isLower(c) && kind <= Kind.Digit) {
      i++;
      token = { kind: Kind.Letter, text: version[start] ?? '', suffix: 0 };
    } else if (isDigit(c) && kind === Kind.Suffix) {
      i = span(version, i, isDigit);
      token = { kind: Kind.SuffixNumber, text: version.slice(start, i), suffix: 0 };
    } else if (c === 95 /* _ */ && kind <= Kind.SuffixNumber) {
      i = span(version, i + 1, isLower);
      const suffix = SUFFIXES.get(version.slice(start + 1, i));
      if (suffix !== undefined) token = { kind: Kind.Suffix, text: '', suffix };
    } else if (c === 126 /* ~ */ && kind < Kind.Hash) {
      i = span(version, i + 1, isHex);
      if (i > start + 1) token = { kind: Kind.Hash, text: version.slice(start + 1, i), suffix: 0 };
    } else if (c === 45 /* - */ && kind < Kind.Revision && version.charCodeAt(i + 1) === 114 /* r */) {
      i = span(version, i + 2, isDigit);
      if (i > start + 2) token = { kind: Kind.Revision, text: version.slice(start + 2, i), suffix: 0 };
    }
    tokens.push(token);
    if (token === INVALID) return tokens;
    kind = token.kind;
  }
  tokens.push(END);
  return tokens;
}

/** What `apk version -c` checks: the whole string follows the grammar. */
export const validate = (version: string): boolean => tokenize(version).at(-1) === END;

// apk reads a number into a uint64_t without an overflow check, so a component of 20 or
// more digits compares by its value modulo 2^64; shorter ones cannot overflow.
function compareNumbers(a: string, b: string): Comparison {
  if (a.length < 20 && b.length < 20) return compareDigits(a, b);
  const x = BigInt.asUintN(64, BigInt(a));
  const y = BigInt.asUintN(64, BigInt(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareToken(a: Token, b: Token): Comparison {
  switch (a.kind) {
    case Kind.Digit:
      // Gentoo rule: a component with a leading zero compares as a string (like a decimal fraction).
      if (a.text.charCodeAt(0) === 48 || b.text.charCodeAt(0) === 48) return compareStrings(a.text, b.text);
      return compareNumbers(a.text, b.text);
    case Kind.Initial:
    case Kind.SuffixNumber:
    case Kind.Revision:
      return compareNumbers(a.text, b.text);
    case Kind.Suffix:
      return a.suffix < b.suffix ? -1 : a.suffix > b.suffix ? 1 : 0;
    default:
      return compareStrings(a.text, b.text);
  }
}

const tokenizeMemo = memoizeParse(tokenize);

export function compare(a: string, b: string): Comparison {
  const ta = tokenizeMemo(a);
  const tb = tokenizeMemo(b);
  // Both lists close with End or Invalid, and i only advances while the kinds agree, so
  // neither index runs past its list.
  for (let i = 0; ; i++) {
    const x = ta[i]!;
    const y = tb[i]!;
    if (x.kind !== y.kind) {
      if (x.kind === Kind.Suffix && x.suffix < SUFFIX_NONE) return -1;
      if (y.kind === Kind.Suffix && y.suffix < SUFFIX_NONE) return 1;
      return x.kind > y.kind ? -1 : 1;
    }
    // Two versions that stop at the same token, both valid or both not, are equal there:
    // apk does not look at what follows an invalid character.
    if (x.kind >= Kind.End) return 0;
    const result = compareToken(x, y);
    if (result !== 0) return result;
  }
}
