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
