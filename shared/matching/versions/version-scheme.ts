// The contract every version scheme file fulfils: a total order over the versions the
// scheme accepts, and an InvalidVersionError for anything else.
export type Comparison = -1 | 0 | 1;

export type Compare = (a: string, b: string) => Comparison;

export interface VersionScheme {
  readonly name: string;
  readonly compare: Compare;
}

export const sign = (n: number): Comparison => (n < 0 ? -1 : n > 0 ? 1 : 0);

// Compares two unbounded runs of ASCII digits by value without Number overflow.
export function compareDigits(a: string, b: string): Comparison {
  let i = 0;
  let j = 0;
  while (i < a.length - 1 && a.charCodeAt(i) === 48) i++;
  while (j < b.length - 1 && b.charCodeAt(j) === 48) j++;
  const la = a.length - i;
  const lb = b.length - j;
  if (la !== lb) return la < lb ? -1 : 1;
  for (; i < a.length; i++, j++) {
    const d = a.charCodeAt(i) - b.charCodeAt(j);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

// Plain code-unit order, what C's strcmp/memcmp and Ruby's String#<=> give on ASCII.
export const compareStrings = (a: string, b: string): Comparison => (a < b ? -1 : a > b ? 1 : 0);

/**
 * `parse` with a bounded memo. Matching compares the same strings again and again (a
 * package's installed version against each slot of a binary search, the versions popular
 * ranges share), and parsing, not comparing, is the cost. Parsed values are only read by
 * the compare functions; a version that does not parse is not remembered, so it throws
 * its InvalidVersionError every time.
 */
export function memoizeParse<T>(parse: (version: string) => T, limit = 8192): (version: string) => T {
  const memo = new Map<string, T>();
  // The two most recent versions, newest first, checked before the map: a binary search
  // compares one installed version with one slot after another.
  let k0: string | undefined;
  let v0: T | undefined;
  let k1: string | undefined;
  let v1: T | undefined;
  return (version) => {
    if (version === k0) return v0!;
    let parsed: T | undefined;
    if (version === k1) parsed = v1;
    else {
      parsed = memo.get(version);
      if (parsed === undefined) {
        parsed = parse(version);
        if (memo.size >= limit) memo.clear();
        memo.set(version, parsed);
      }
    }
    k1 = k0;
    v1 = v0;
    k0 = version;
    v0 = parsed;
    return parsed!;
  };
}
