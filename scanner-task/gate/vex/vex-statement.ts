// One VEX statement, whichever format it came from (OpenVEX or CycloneDX), and which statement
// decides a finding: of those naming its vulnerability and its package (or the image and, when
// listed, the package among its subcomponents), the latest; at equal times the one given last.
import type { GateFinding, GateInput } from '../gate-types.ts';
import { namesImage, purlCovers } from './product-match.ts';

/** OpenVEX's statuses; CycloneDX analysis states map onto them (cyclonedx-vex.ts). */
export const VEX_STATUSES = ['not_affected', 'affected', 'fixed', 'under_investigation'] as const;
export type VexStatus = (typeof VEX_STATUSES)[number];
/** The statuses that take a finding out of the count: the author says the image is not exposed to it. */
export const SUPPRESSING_STATUSES: readonly VexStatus[] = ['not_affected', 'fixed'];

export interface VexProduct {
  /** The product's ids: a purl, an image reference or `pkg:oci/…` purl, any IRI. */
  ids: string[];
  /** Purls (or ids) of the product's parts the statement is about; empty for the whole product. */
  subcomponents: string[];
}

export interface VexStatement {
  /** The vulnerability's name and every alias the document gives it. */
  vulnerabilities: string[];
  products: VexProduct[];
  status: VexStatus;
  /** The document's own word when it is not OpenVEX's (CycloneDX `false_positive`, `resolved_with_pedigree`, …). */
  statedStatus?: string;
  justification?: string;
  /** OpenVEX impact statement or CycloneDX analysis detail: why, in the author's words. */
  detail?: string;
  actionStatement?: string;
  /** When the statement was made or last updated (ISO), deciding between statements on the same finding. */
  timestamp?: string;
  /** Where it came from: `<file>#<index of the statement>`. */
  source: string;
}

function coversPackage(product: VexProduct, finding: GateFinding, image: GateInput['image']): boolean {
  const purl = finding.purl;
  if (purl !== undefined && product.ids.some((id) => purlCovers(id, purl))) return true;
  if (!product.ids.some((id) => namesImage(id, image))) return false;
  // The image as a whole, or the package among the parts listed.
  return product.subcomponents.length === 0 || (purl !== undefined && product.subcomponents.some((id) => purlCovers(id, purl)));
}

const timeOf = (statement: VexStatement): number => (statement.timestamp === undefined ? -Infinity : Date.parse(statement.timestamp));

/** The ids a finding is known by, as VEX and ignore rules compare them: any case. */
export const idsOf = (finding: GateFinding): Set<string> => new Set([finding.vulnerabilityId, ...finding.aliases].map((id) => id.toUpperCase()));

/**
 * For each finding, the statement that decides it, if any names it. Statements are indexed by
 * vulnerability id once, so a finding is compared only with those naming one of its ids (100,000
 * findings against 1,000 statements would otherwise be 10⁸ comparisons).
 */
export function vexDecider(statements: readonly VexStatement[], image: GateInput['image']): (finding: GateFinding) => VexStatement | undefined {
  const byId = new Map<string, Array<{ statement: VexStatement; order: number; time: number }>>();
  statements.forEach((statement, order) => {
    for (const id of new Set(statement.vulnerabilities.map((v) => v.toUpperCase()))) {
      const listed = byId.get(id) ?? [];
      listed.push({ statement, order, time: timeOf(statement) });
      byId.set(id, listed);
    }
  });
  return (finding) => {
    let latest: { statement: VexStatement; order: number; time: number } | undefined;
    for (const id of idsOf(finding)) {
      for (const candidate of byId.get(id) ?? []) {
        const later = latest === undefined || candidate.time > latest.time || (candidate.time === latest.time && candidate.order > latest.order);
        if (later && candidate.statement.products.some((product) => coversPackage(product, finding, image))) latest = candidate;
      }
    }
    return latest?.statement;
  };
}
