// PyPI versions per PEP 440 (packaging.python.org "Version specifiers"): parsing with
// the specification's own normalisation rules (case, "v" prefix, separators, spelling
// variants, implicit numbers), then ordering epoch, release, pre, post, dev, local.
// Legacy non-PEP 440 versions are refused, as modern pip and packaging refuse them.
import { InvalidVersionError } from './invalid-version-error.ts';
import { compareDigits, compareStrings, memoizeParse, type Comparison } from './version-scheme.ts';

// The pattern from the specification's appendix.
const PEP440 = new RegExp(
  '^\\s*v?' +
    '(?:([0-9]+)!)?' +
    '([0-9]+(?:\\.[0-9]+)*)' +
    '(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?([0-9]+)?)?' +
    '(?:-([0-9]+)|[-_.]?(post|rev|r)[-_.]?([0-9]+)?)?' +
    '(?:[-_.]?(dev)[-_.]?([0-9]+)?)?' +
    '(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\\s*$',
  'i',
);

const PRE_RANK: Record<string, number> = { a: 0, alpha: 0, b: 1, beta: 1, c: 2, rc: 2, pre: 2, preview: 2 };

export interface Pep440Version {
  epoch: string;
  release: string[];
  pre: { rank: number; n: string } | undefined;
  post: string | undefined;
  dev: string | undefined;
  local: string[] | undefined;
}

export function parse(version: string): Pep440Version {
  const m = PEP440.exec(version);
  if (!m) throw new InvalidVersionError('PEP 440', version, 'not [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]');
  const release = (m[2] ?? '').split('.');
  // Trailing zeros do not count: 1.0 == 1.0.0.
  while (release.length > 1 && /^0+$/.test(release[release.length - 1] ?? '')) release.pop();
  const preLabel = m[3]?.toLowerCase();
  const hasPost = m[5] !== undefined || m[6] !== undefined;
  return {
    epoch: m[1] ?? '0',
    release,
    pre: preLabel === undefined ? undefined : { rank: PRE_RANK[preLabel] ?? 0, n: m[4] ?? '0' },
    post: hasPost ? (m[5] ?? m[7] ?? '0') : undefined,
    dev: m[8] !== undefined ? (m[9] ?? '0') : undefined,
    local: m[10]?.toLowerCase().split(/[-_.]/),
  };
}

function compareRelease(a: string[], b: string[]): Comparison {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const result = compareDigits(a[i] ?? '0', b[i] ?? '0');
    if (result !== 0) return result;
  }
  return 0;
}

// A pre-release sorts below its release; a bare dev release (1.0.dev1) below all of them.
function preKey(v: Pep440Version): number {
  if (v.pre) return 0;
  if (v.post === undefined && v.dev !== undefined) return -1;
  return 1;
}

function comparePre(a: Pep440Version, b: Pep440Version): Comparison {
  const ka = preKey(a);
  const kb = preKey(b);
  if (ka !== kb) return ka < kb ? -1 : 1;
  if (!a.pre || !b.pre) return 0;
  if (a.pre.rank !== b.pre.rank) return a.pre.rank < b.pre.rank ? -1 : 1;
  return compareDigits(a.pre.n, b.pre.n);
}

// Missing post sorts low, missing dev sorts high.
function compareOptional(a: string | undefined, b: string | undefined, missing: Comparison): Comparison {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? missing : (-missing as Comparison);
  return compareDigits(a, b);
}

const isNumeric = (s: string): boolean => /^[0-9]+$/.test(s);

function compareLocal(a: string[] | undefined, b: string[] | undefined): Comparison {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    const xn = isNumeric(x);
    const yn = isNumeric(y);
    // Numeric segments sort above alphanumeric ones.
    const result = xn && yn ? compareDigits(x, y) : xn !== yn ? (xn ? 1 : -1) : compareStrings(x, y);
    if (result !== 0) return result;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

const parseMemo = memoizeParse(parse);

export function compare(a: string, b: string): Comparison {
  const va = parseMemo(a);
  const vb = parseMemo(b);
  return (
    compareDigits(va.epoch, vb.epoch) ||
    compareRelease(va.release, vb.release) ||
    comparePre(va, vb) ||
    compareOptional(va.post, vb.post, -1) ||
    compareOptional(va.dev, vb.dev, 1) ||
    compareLocal(va.local, vb.local)
  );
}
