// NuGet versions (NuGet.Versioning NuGetVersion + VersionComparer.Default):
// Major[.Minor[.Patch[.Revision]]][-label(.label)*][+metadata]. Numbers compare by value,
// a version without labels is newer than one with, labels compare like SemVer 2.0 but
// case-insensitively, and metadata is ignored.
import { InvalidVersionError } from './invalid-version-error.ts';
import { compareDigits, compareStrings, memoizeParse, type Comparison } from './version-scheme.ts';

const NUGET = /^\s*([0-9]+(?:\.[0-9]+){0,3})(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?\s*$/;
const INT32_MAX = 2147483647;

interface NuGetVersion {
  parts: string[];
  labels: string[];
}

export function parse(version: string): NuGetVersion {
  const m = NUGET.exec(version);
  if (!m) throw new InvalidVersionError('NuGet', version, 'not Major[.Minor[.Patch[.Revision]]][-prerelease][+metadata]');
  const parts = (m[1] ?? '').split('.');
  if (parts.some((p) => Number(p) > INT32_MAX)) throw new InvalidVersionError('NuGet', version, 'a number is above Int32.MaxValue');
  return { parts, labels: m[2] ? m[2].split('.') : [] };
}

// NuGet's test is Int32.TryParse: digits within Int32 (a leading "-" included) are numeric.
function asInt32(label: string): number | undefined {
  if (!/^-?[0-9]+$/.test(label)) return undefined;
  const n = Number(label);
  return n >= -INT32_MAX - 1 && n <= INT32_MAX ? n : undefined;
}

function compareLabel(a: string, b: string): Comparison {
  const na = asInt32(a);
  const nb = asInt32(b);
  if (na !== undefined && nb !== undefined) return na < nb ? -1 : na > nb ? 1 : 0;
  // Numeric labels come before alphanumeric ones.
  if (na !== undefined || nb !== undefined) return na !== undefined ? -1 : 1;
  return compareStrings(a.toUpperCase(), b.toUpperCase());
}

const parseMemo = memoizeParse(parse);

export function compare(a: string, b: string): Comparison {
  const va = parseMemo(a);
  const vb = parseMemo(b);
  for (let i = 0; i < 4; i++) {
    const result = compareDigits(va.parts[i] ?? '0', vb.parts[i] ?? '0');
    if (result !== 0) return result;
  }
  if (va.labels.length === 0 || vb.labels.length === 0) {
    return va.labels.length === vb.labels.length ? 0 : va.labels.length === 0 ? 1 : -1;
  }
  const n = Math.max(va.labels.length, vb.labels.length);
  for (let i = 0; i < n; i++) {
    const x = va.labels[i];
    const y = vb.labels[i];
    if (x === undefined || y === undefined) return x === undefined ? -1 : 1;
    const result = compareLabel(x, y);
    if (result !== 0) return result;
  }
  return 0;
}
