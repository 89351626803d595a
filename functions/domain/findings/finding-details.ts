// The envelope's details of a finding's vulnerability — title, aliases, references, CVSS
// vector, purl, layer, KEV and EPSS — merged across the advisories that make one finding (one
// envelope may report the same CVE for a package as a CVE, a GHSA and a DSA).
//
// Bounded: each advisory's lists are bounded by the envelope schema, but their union is not,
// and a finding is one DynamoDB item (≤ 400 KB). References are the large part (up to 256 of
// 2,048 characters per advisory, 512 KB): they are kept in order up to the envelope's count and
// FINDING_REFERENCE_BYTES in all, so a finding at every bound still fits an item.
import type { EnvelopeVulnerability } from '#shared/envelope/envelope-schema.ts';
import type { Finding } from './finding.ts';

/** The envelope's bounds per advisory, kept for the union. */
export const FINDING_LIST_MAXIMA = { aliases: 256, references: 256 } as const;
/** With every other field at its bound a finding is under 150 KB (aliases and sources ≤ 64 KB each); this keeps it under 300 KB. */
export const FINDING_REFERENCE_BYTES = 128 * 1024;

type Details = Pick<Finding, 'title' | 'aliases' | 'references' | 'cvssVector' | 'purl' | 'packageType' | 'layerDigest' | 'knownExploited' | 'epss'>;

function boundedReferences(references: Iterable<string>): string[] {
  const kept: string[] = [];
  let bytes = 0;
  for (const reference of new Set(references)) {
    bytes += Buffer.byteLength(reference, 'utf8');
    if (kept.length === FINDING_LIST_MAXIMA.references || bytes > FINDING_REFERENCE_BYTES) break;
    kept.push(reference);
  }
  return kept;
}

const present = <T>(key: string, value: T | undefined): Record<string, T> => (value === undefined ? {} : { [key]: value });

/**
 * The details of `finding` with one more advisory's: the first title, purl, type and layer
 * reported; the vector of the highest CVSS (`strongerCvss`: this advisory's score replaced the
 * finding's); the union of aliases and references; KEV if any advisory says so; the highest EPSS.
 */
export function mergeDetails(finding: Details & { cveId: string }, v: EnvelopeVulnerability, strongerCvss: boolean): Details {
  const aliases = [...new Set([...(finding.aliases ?? []), v.id, ...(v.aliases ?? []), ...(v.cveId ? [v.cveId] : [])])]
    .filter((id) => id !== finding.cveId)
    .sort()
    .slice(0, FINDING_LIST_MAXIMA.aliases);
  const references = boundedReferences([...(finding.references ?? []), ...(v.references ?? [])]);
  const epss = v.epss === undefined ? finding.epss : Math.max(v.epss, finding.epss ?? 0);
  return {
    ...present('title', finding.title ?? v.title),
    ...(aliases.length > 0 ? { aliases } : {}),
    ...(references.length > 0 ? { references } : {}),
    ...present('cvssVector', strongerCvss ? (v.cvssVector ?? finding.cvssVector) : (finding.cvssVector ?? v.cvssVector)),
    ...present('purl', finding.purl ?? v.purl),
    ...present('packageType', finding.packageType ?? v.packageType),
    ...present('layerDigest', finding.layerDigest ?? v.layerDigest),
    ...(finding.knownExploited || v.knownExploited ? { knownExploited: true } : {}),
    ...present('epss', epss),
  };
}
