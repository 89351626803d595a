// OpenVEX 0.2.0 documents: validated against the official schema (shared/vex/), then read as
// VexStatements. A statement's time is its own (last update, else timestamp) or, as the spec
// says, the document's when it has none.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import openVexSchema from '#shared/vex/openvex-0.2.0.schema.json' with { type: 'json' };
import { defined } from '../defined.ts';
import { schemaProblem, VexError } from './vex-error.ts';
import type { VexProduct, VexStatement, VexStatus } from './vex-statement.ts';

interface OpenVexIdentifiers {
  purl?: string;
}
interface OpenVexComponent {
  '@id'?: string;
  identifiers?: OpenVexIdentifiers;
  subcomponents?: OpenVexComponent[];
}
interface OpenVexStatement {
  vulnerability: { '@id'?: string; name: string; aliases?: string[] };
  products?: OpenVexComponent[];
  status: VexStatus;
  justification?: string;
  impact_statement?: string;
  action_statement?: string;
  timestamp?: string;
  last_updated?: string;
}
interface OpenVexDocument {
  timestamp: string;
  statements: OpenVexStatement[];
}

let validator: ValidateFunction | undefined;

/** Compiled once, when the first OpenVEX document is read. */
function validate(document: unknown): document is OpenVexDocument {
  if (!validator) {
    const ajv = new Ajv2020({ strict: false, allErrors: false, logger: false });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    // The schema's `iri` (RFC 3987) is not one of ajv-formats': an absolute IRI is what URL parses.
    ajv.addFormat('iri', (value: string) => URL.canParse(value));
    validator = ajv.compile(openVexSchema);
  }
  return validator(document);
}

const idsOf = (component: OpenVexComponent): string[] => [component['@id'], component.identifiers?.purl].filter((id): id is string => id !== undefined);

const productOf = (component: OpenVexComponent): VexProduct => ({ ids: idsOf(component), subcomponents: (component.subcomponents ?? []).flatMap(idsOf) });

export const isOpenVex = (document: Record<string, unknown>): boolean => typeof document['@context'] === 'string' && document['@context'].includes('openvex');

/** The one version read: earlier drafts (`https://openvex.dev/ns`, v0.0.x) differ in shape, and their errors against 0.2.0 would mislead. */
const OPENVEX_CONTEXT = 'https://openvex.dev/ns/v0.2.0';

export function openVexStatements(document: Record<string, unknown>, file: string): VexStatement[] {
  const context = String(document['@context']).replace(/\/$/, '');
  if (context !== OPENVEX_CONTEXT) throw new VexError(`${file}: /@context: "${context}" is not OpenVEX 0.2.0 (${OPENVEX_CONTEXT}), the version read`);
  if (!validate(document)) throw new VexError(`${file}: ${schemaProblem(validator?.errors)}`);
  return document.statements.map((statement, index) => {
    // A product-less statement is valid by the schema but says nothing the gate could match: refused rather than ignored.
    if (!statement.products || statement.products.length === 0) {
      throw new VexError(`${file}: /statements/${index}: names no products, so it applies to nothing`);
    }
    const { vulnerability } = statement;
    return {
      vulnerabilities: [vulnerability.name, ...(vulnerability['@id'] ? [vulnerability['@id']] : []), ...(vulnerability.aliases ?? [])],
      products: statement.products.map(productOf),
      status: statement.status,
      ...defined({
        justification: statement.justification,
        detail: statement.impact_statement,
        actionStatement: statement.action_statement,
        timestamp: statement.last_updated ?? statement.timestamp ?? document.timestamp,
      }),
      source: `${file}#${index}`,
    };
  });
}
