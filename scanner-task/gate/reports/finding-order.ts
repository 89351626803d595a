// The order every gate report lists findings in: the worst first, as a reader triages (severity,
// then known exploited, then CVSS), then by key so that the same verdict always prints the same.
import { SEVERITIES } from '#shared/envelope/envelope-schema.ts';
import type { GateFinding } from '../gate-types.ts';

/** By UTF-16 code units, not a collator: the order must not follow the locale or Node's ICU build. */
export const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const worstFirst = (a: GateFinding, b: GateFinding): number =>
  SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
  Number(b.knownExploited) - Number(a.knownExploited) ||
  (b.cvss ?? -1) - (a.cvss ?? -1) ||
  byCodeUnits(a.key, b.key);
