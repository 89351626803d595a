// Severity of an advisory: CVSS base score first, the ecosystem's own rating second,
// INFO last. The rules are documented in docs/SEVERITY.md.
import cvssLibrary from 'ae-cvss-calculator';
import type { Severity } from '../envelope/envelope-schema.ts';
import type { OsvRecord, OsvSeverity } from './osv-record.ts';

export interface Scored {
  severity: Severity;
  cvss?: number;
  cvssVector?: string;
  /** Neither a CVSS vector nor a rating word: INFO only for want of anything better (alias-severity.ts). */
  unrated?: true;
}

interface CvssVectorLike {
  calculateScores(): { base?: number };
}
type CvssClass = new (vector: string) => CvssVectorLike;

// The package's ESM build has only a default export holding the classes.
const { Cvss2, Cvss3P0, Cvss3P1, Cvss4P0 } = cvssLibrary as unknown as Record<'Cvss2' | 'Cvss3P0' | 'Cvss3P1' | 'Cvss4P0', CvssClass>;

function classFor(vector: string): CvssClass {
  if (vector.startsWith('CVSS:4.0/')) return Cvss4P0;
  if (vector.startsWith('CVSS:3.1/')) return Cvss3P1;
  if (vector.startsWith('CVSS:3.0/')) return Cvss3P0;
  return Cvss2;
}

// v2 vectors have no prefix; require its six base metrics so free text is not scored.
const V2_BASE = /(^|\/)AV:[LAN]\/AC:[HML]\/Au:[MSN]\/C:[NPC]\/I:[NPC]\/A:[NPC](\/|$)/;

// Real feeds repeat a few thousand distinct vectors across hundreds of thousands of records.
const scoreCache = new Map<string, number | undefined>();

/** Base score of a CVSS v2/v3.0/v3.1/v4.0 vector, or undefined when it is not a valid vector. */
export function cvssBaseScore(vector: string): number | undefined {
  if (scoreCache.has(vector)) return scoreCache.get(vector);
  const score = computeBaseScore(vector);
  if (scoreCache.size < 100_000) scoreCache.set(vector, score);
  return score;
}

function computeBaseScore(vector: string): number | undefined {
  const v = vector.trim().replace(/^\(|\)$/g, '');
  if (!v.startsWith('CVSS:') && !V2_BASE.test(v)) return undefined;
  try {
    const base = new (classFor(v))(v).calculateScores().base;
    return typeof base === 'number' && Number.isFinite(base) && base >= 0 && base <= 10 ? base : undefined;
  } catch {
    return undefined;
  }
}

export function severityFromScore(score: number): Severity {
  if (score >= 9) return 'CRITICAL';
  if (score >= 7) return 'HIGH';
  if (score >= 4) return 'MEDIUM';
  return score > 0 ? 'LOW' : 'INFO';
}

// Words ecosystems use for their own ratings (GHSA "MODERATE", Debian urgency
// "unimportant", Ubuntu priority "negligible", Red Hat "Important").
const WORDS: Readonly<Record<string, Severity>> = {
  critical: 'CRITICAL',
  important: 'HIGH',
  high: 'HIGH',
  moderate: 'MEDIUM',
  medium: 'MEDIUM',
  low: 'LOW',
  negligible: 'INFO',
  unimportant: 'INFO',
  'not yet assigned': 'INFO',
};

export function severityFromWord(word: unknown): Severity | undefined {
  if (typeof word !== 'string') return undefined;
  const key = word.trim().toLowerCase().replace(/\*+$/, '');
  return Object.hasOwn(WORDS, key) ? WORDS[key] : undefined;
}

const RATING_FIELDS = ['severity', 'urgency', 'priority'] as const;

function ratingOf(bag: Record<string, unknown> | undefined): Severity | undefined {
  for (const field of RATING_FIELDS) {
    const found = severityFromWord(bag?.[field]);
    if (found) return found;
  }
  return undefined;
}

const SEVERITY_ORDER: readonly Severity[] = ['INFO', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
export const severityRank = (s: Severity): number => SEVERITY_ORDER.indexOf(s);

function bestCvss(entries: readonly OsvSeverity[]): Scored | undefined {
  let best: Scored | undefined;
  for (const entry of entries) {
    if (!entry.type.startsWith('CVSS_')) continue;
    const score = cvssBaseScore(entry.score);
    if (score === undefined) continue;
    // Prefer the newest CVSS version at equal score: it is the one vendors now publish.
    if (!best || score > best.cvss! || (score === best.cvss && entry.score > best.cvssVector!)) {
      best = { severity: severityFromScore(score), cvss: score, cvssVector: entry.score };
    }
  }
  return best;
}

export function scoreRecord(record: OsvRecord): Scored {
  const affectedSeverities = (record.affected ?? []).flatMap((a) => a.severity ?? []);
  const scored = bestCvss([...(record.severity ?? []), ...affectedSeverities]);
  if (scored) return scored;
  // Ecosystem ratings: "Ubuntu" severity entries, then database/ecosystem-specific fields.
  let rating: Severity | undefined;
  const consider = (s: Severity | undefined): void => {
    if (s && (!rating || severityRank(s) > severityRank(rating))) rating = s;
  };
  for (const entry of [...(record.severity ?? []), ...affectedSeverities]) consider(severityFromWord(entry.score));
  consider(ratingOf(record.database_specific));
  for (const a of record.affected ?? []) {
    consider(ratingOf(a.ecosystem_specific));
    consider(ratingOf(a.database_specific));
  }
  return rating ? { severity: rating } : { severity: 'INFO', unrated: true };
}
