// Maven version order, as org.apache.maven.artifact.versioning.ComparableVersion (Maven
// 3.8, the version Debian ships, which the oracle test runs). A version is split at ".",
// "-" and at digit/letter transitions; "-" and transitions open a nested list. Trailing
// "null" items (0, "", "ga", "final", "release") are trimmed from every list, and a
// trailing qualifier after "." counts as if after "-" ("1.0.RC1" = "1.0-RC1"). Numbers
// beat lists, lists beat qualifiers; known qualifiers sort alpha < beta < milestone < rc
// < snapshot < (release) < sp, unknown ones after them alphabetically.
import { InvalidVersionError } from './invalid-version-error.ts';
import { compareDigits, compareStrings, memoizeParse, type Comparison } from './version-scheme.ts';

type Item = { kind: 'int'; digits: string } | { kind: 'string'; value: string } | { kind: 'list'; items: Item[] };

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const RELEASE_RANK = String(QUALIFIERS.indexOf(''));
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
const SHORT_BEFORE_DIGIT: Record<string, string> = { a: 'alpha', b: 'beta', m: 'milestone' };

// Known qualifiers rank as "0".."6"; unknown ones as "7-<name>", so they sort after all
// known ones and among themselves alphabetically, all by plain string comparison.
function qualifierRank(value: string): string {
  const i = QUALIFIERS.indexOf(value);
  return i === -1 ? `${QUALIFIERS.length}-${value}` : String(i);
}

function stringItem(text: string, followedByDigit: boolean): Item {
  const expanded = followedByDigit ? (SHORT_BEFORE_DIGIT[text] ?? text) : text;
  return { kind: 'string', value: ALIASES[expanded] ?? expanded };
}

function parseItem(isDigit: boolean, text: string): Item {
  return isDigit ? { kind: 'int', digits: text.replace(/^0+(?=.)/, '') } : stringItem(text, false);
}

function isNull(item: Item): boolean {
  if (item.kind === 'int') return item.digits === '0';
  if (item.kind === 'string') return qualifierRank(item.value) === RELEASE_RANK;
  return item.items.length === 0;
}

// Drops trailing null items, looking through (not into) nested lists.
function normalize(list: Item[]): void {
  for (let i = list.length - 1; i >= 0; i--) {
    const item = list[i] as Item;
    if (isNull(item)) list.splice(i, 1);
    else if (item.kind !== 'list') break;
  }
}

export function parse(version: string): Item[] {
  if (version.trim() === '') throw new InvalidVersionError('Maven', version, 'version string is empty');
  const text = version.toLowerCase();
  const root: Item[] = [];
  const lists: Item[][] = [root];
  let list = root;
  const openList = (): void => {
    const items: Item[] = [];
    list.push({ kind: 'list', items });
    list = items;
    lists.push(items);
  };
  let isDigit = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */ || c === 45 /* - */) {
      list.push(i === start ? { kind: 'int', digits: '0' } : parseItem(isDigit, text.slice(start, i)));
      start = i + 1;
      if (c === 45) openList();
    } else if (c >= 48 && c <= 57) {
      if (!isDigit && i > start) {
        // "1.0.RC1" reads as "1.0-RC1": a qualifier after other items opens its own list.
        if (list.length > 0) openList();
        list.push(stringItem(text.slice(start, i), true));
        start = i;
        openList();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.push(parseItem(true, text.slice(start, i)));
        start = i;
        openList();
      }
      isDigit = false;
    }
  }
  if (text.length > start) {
    if (!isDigit && list.length > 0) openList();
    list.push(parseItem(isDigit, text.slice(start)));
  }
  for (let i = lists.length - 1; i >= 0; i--) normalize(lists[i] as Item[]);
  return root;
}

function compareToNull(item: Item): Comparison {
  if (item.kind === 'int') return item.digits === '0' ? 0 : 1;
  if (item.kind === 'string') return compareStrings(qualifierRank(item.value), RELEASE_RANK);
  // The whole list is weighed, not just its first item: "1-ga.b" is above "1".
  for (const inner of item.items) {
    const result = compareToNull(inner);
    if (result !== 0) return result;
  }
  return 0;
}

const KIND_RANK = { string: 0, list: 1, int: 2 } as const;

function compareItems(a: Item | undefined, b: Item | undefined): Comparison {
  if (a === undefined) return b === undefined ? 0 : ((0 - compareToNull(b)) as Comparison);
  if (b === undefined) return compareToNull(a);
  if (a.kind !== b.kind) return KIND_RANK[a.kind] < KIND_RANK[b.kind] ? -1 : 1;
  if (a.kind === 'int' && b.kind === 'int') return compareDigits(a.digits, b.digits);
  if (a.kind === 'string' && b.kind === 'string') return compareStrings(qualifierRank(a.value), qualifierRank(b.value));
  return compareLists((a as { items: Item[] }).items, (b as { items: Item[] }).items);
}

function compareLists(a: Item[], b: Item[]): Comparison {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const result = compareItems(a[i], b[i]);
    if (result !== 0) return result;
  }
  return 0;
}

const parseMemo = memoizeParse(parse);

export function compare(a: string, b: string): Comparison {
  return compareLists(parseMemo(a), parseMemo(b));
}
