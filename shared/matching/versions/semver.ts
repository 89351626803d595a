// Semantic Versioning 2.0.0 (semver.org) as the spec states it: crates.io, and the
// SEMVER range type of OSV. Build metadata is parsed and ignored for precedence.
import { InvalidVersionError } from './invalid-version-error.ts';
import { compareDigits, compareStrings, memoizeParse, type Comparison } from './version-scheme.ts';

export interface SemVer {
  major: string;
  minor: string;
  patch: string;
  prerelease: string[];
}

const NUMBER = '0|[1-9][0-9]*';
const PRERELEASE_ID = `(?:${NUMBER}|[0-9]*[A-Za-z-][0-9A-Za-z-]*)`;
const SEMVER = new RegExp(
  `^(${NUMBER})\\.(${NUMBER})\\.(${NUMBER})` + `(?:-(${PRERELEASE_ID}(?:\\.${PRERELEASE_ID})*))?` + `(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?$`,
);

export function parse(version: string, scheme = 'semver'): SemVer {
  const m = SEMVER.exec(version);
  if (!m) throw new InvalidVersionError(scheme, version, 'not MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD] (semver.org 2.0.0)');
  return { major: m[1] ?? '', minor: m[2] ?? '', patch: m[3] ?? '', prerelease: m[4] ? m[4].split('.') : [] };
}

const isNumeric = (id: string): boolean => /^[0-9]+$/.test(id);

function compareIdentifiers(a: string, b: string): Comparison {
  const an = isNumeric(a);
  const bn = isNumeric(b);
  if (an && bn) return compareDigits(a, b);
  // Numeric identifiers have lower precedence than alphanumeric ones.
  if (an !== bn) return an ? -1 : 1;
  return compareStrings(a, b);
}

export function compareParsed(a: SemVer, b: SemVer): Comparison {
  const core = compareDigits(a.major, b.major) || compareDigits(a.minor, b.minor) || compareDigits(a.patch, b.patch);
  if (core !== 0) return core;
  // A pre-release version has lower precedence than the normal version.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return a.prerelease.length === b.prerelease.length ? 0 : a.prerelease.length === 0 ? 1 : -1;
  }
  const n = Math.min(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < n; i++) {
    const result = compareIdentifiers(a.prerelease[i] ?? '', b.prerelease[i] ?? '');
    if (result !== 0) return result;
  }
  const la = a.prerelease.length;
  const lb = b.prerelease.length;
  return la === lb ? 0 : la < lb ? -1 : 1;
}

const parseMemo = memoizeParse(parse);

export function compare(a: string, b: string): Comparison {
  return compareParsed(parseMemo(a), parseMemo(b));
}
