// A seeded generator for oracle pairs: the same seed gives the same pairs, so a mismatch
// seen once can be reproduced from the test output.
export interface Random {
  int(max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

export function seeded(seed: number): Random {
  let state = seed >>> 0;
  // mulberry32
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (max) => Math.floor(next() * max),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
  };
}

// Builds `count` pairs: half unrelated, half a version against a small edit of itself,
// because near-equal pairs are where comparators go wrong.
export function pairs(random: Random, count: number, make: (r: Random) => string, edit: (r: Random, v: string) => string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  while (out.length < count) {
    const a = make(random);
    const b = random.chance(0.5) ? edit(random, a) : make(random);
    out.push(random.chance(0.5) ? [a, b] : [b, a]);
  }
  return out;
}

export function repeat(random: Random, max: number, piece: (r: Random) => string): string {
  let out = '';
  const n = 1 + random.int(max);
  for (let i = 0; i < n; i++) out += piece(random);
  return out;
}

// Generic edits that keep a version's alphabet: change, insert or drop one character.
export function editChars(random: Random, version: string, alphabet: string): string {
  const i = random.int(version.length + 1);
  const c = alphabet[random.int(alphabet.length)] ?? '';
  switch (random.int(3)) {
    case 0:
      return version.slice(0, i) + c + version.slice(i + 1);
    case 1:
      return version.slice(0, i) + c + version.slice(i);
    default:
      return version.length > 1 ? version.slice(0, i) + version.slice(i + 1) : version + c;
  }
}
