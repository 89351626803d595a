// Alpine (apk-tools 3) version order: number{.number}...{letter}{_suffix{number}}...{~hash}{-r#}
// (doc/apk-package.5). Versions are split into typed tokens and compared token by token;
// when one runs out first, the longer one is newer unless what it has next is a
// pre-release suffix (_alpha, _beta, _pre, _rc). apk itself still orders some invalid
// strings by their valid prefix; we refuse them, as `apk version -c` would flag them.
import { InvalidVersionError } from './invalid-version-error.ts';
import { compareDigits, compareStrings, memoizeParse, type Comparison } from './version-scheme.ts';

// Token kinds in the order the grammar allows them; a later kind never precedes an earlier one.
const enum Kind {
  Initial,
  Digit,
  Letter,
  Suffix,
  SuffixNumber,
  Hash,
  Revision,
  End,
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

function fail(version: string, reason: string): never {
  throw new InvalidVersionError('apk', version, reason);
}

export function tokenize(version: string): Token[] {
  let i = span(version, 0, isDigit);
  if (i === 0) fail(version, 'must start with a digit');
  const tokens: Token[] = [{ kind: Kind.Initial, text: version.slice(0, i), suffix: 0 }];
  let kind: Kind = Kind.Initial;
  while (i < version.length) {
    const c = version.charCodeAt(i);
    const start = i;
    if (c === 46 /* . */ && kind <= Kind.Digit) {
      i = span(version, i + 1, isDigit);
      if (i === start + 1) fail(version, `no digits after "." at offset ${start}`);
      kind = Kind.Digit;
      tokens.push({ kind, text: version.slice(start + 1, i), suffix: 0 });
    } else if (isLower(c) && kind <= Kind.Digit) {
      i++;
      kind = Kind.Letter;
      tokens.push({ kind, text: version[start] ?? '', suffix: 0 });
    } else if (isDigit(c) && kind === Kind.Suffix) {
      i = span(version, i, isDigit);
      kind = Kind.SuffixNumber;
      tokens.push({ kind, text: version.slice(start, i), suffix: 0 });
    } else if (c === 95 /* _ */ && kind <= Kind.SuffixNumber) {
      i = span(version, i + 1, isLower);
      const name = version.slice(start + 1, i);
      const suffix = SUFFIXES.get(name);
      if (suffix === undefined) fail(version, `unknown suffix "_${name}"`);
      kind = Kind.Suffix;
      tokens.push({ kind, text: name, suffix: suffix ?? 0 });
    } else if (c === 126 /* ~ */ && kind < Kind.Hash) {
      i = span(version, i + 1, isHex);
      if (i === start + 1) fail(version, '"~" must be followed by a lower-case hex commit hash');
      kind = Kind.Hash;
      tokens.push({ kind, text: version.slice(start + 1, i), suffix: 0 });
    } else if (c === 45 /* - */ && kind < Kind.Revision && version.charCodeAt(i + 1) === 114 /* r */) {
      i = span(version, i + 2, isDigit);
      if (i === start + 2) fail(version, '"-r" must be followed by a number');
      kind = Kind.Revision;
      tokens.push({ kind, text: version.slice(start + 2, i), suffix: 0 });
    } else {
      fail(version, `unexpected "${version[i]}" at offset ${i}`);
    }
  }
  return tokens;
}

function compareToken(a: Token, b: Token): Comparison {
  switch (a.kind) {
    case Kind.Digit:
      // Gentoo rule: a component with a leading zero compares as a string (like a decimal fraction).
      if (a.text.charCodeAt(0) === 48 || b.text.charCodeAt(0) === 48) return compareStrings(a.text, b.text);
      return compareDigits(a.text, b.text);
    case Kind.Initial:
    case Kind.SuffixNumber:
    case Kind.Revision:
      return compareDigits(a.text, b.text);
    case Kind.Suffix:
      return a.suffix < b.suffix ? -1 : a.suffix > b.suffix ? 1 : 0;
    default:
      return compareStrings(a.text, b.text);
  }
}

const END: Token = { kind: Kind.End, text: '', suffix: SUFFIX_NONE };

const tokenizeMemo = memoizeParse(tokenize);

export function compare(a: string, b: string): Comparison {
  const ta = tokenizeMemo(a);
  const tb = tokenizeMemo(b);
  for (let i = 0; ; i++) {
    const x = ta[i] ?? END;
    const y = tb[i] ?? END;
    if (x.kind !== y.kind) {
      if (x.kind === Kind.Suffix && x.suffix < SUFFIX_NONE) return -1;
      if (y.kind === Kind.Suffix && y.suffix < SUFFIX_NONE) return 1;
      // A token of an earlier kind means more version components, so a newer version.
      return x.kind > y.kind ? -1 : 1;
    }
    if (x.kind === Kind.End) return 0;
    const result = compareToken(x, y);
    if (result !== 0) return result;
  }
}
