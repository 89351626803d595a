// CycloneDX VEX: a CycloneDX 1.4–1.6 JSON BOM whose vulnerabilities carry an `analysis`. It is
// validated against the official schema of its specVersion (shipped by @cyclonedx/cyclonedx-library),
// then each analysed vulnerability becomes a VexStatement about the components its `affects`
// name: a bom-ref of this document, a purl, or a BOM-Link (`urn:cdx:<serial>/<version>#<bom-ref>`).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { defined } from '../defined.ts';
import { schemaProblem, VexError } from './vex-error.ts';
import type { VexProduct, VexStatement, VexStatus } from './vex-statement.ts';

const SPEC_VERSIONS = ['1.4', '1.5', '1.6'] as const;

/** CycloneDX analysis states as OpenVEX statuses: the first four take a finding out of the count. */
const STATUS_OF_STATE: Record<string, VexStatus> = {
  not_affected: 'not_affected',
  false_positive: 'not_affected',
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
  exploitable: 'affected',
  in_triage: 'under_investigation',
};

interface CdxComponent {
  'bom-ref'?: string;
  type?: string;
  name?: string;
  version?: string;
  purl?: string;
  components?: CdxComponent[];
}
interface CdxVulnerability {
  id?: string;
  references?: Array<{ id?: string }>;
  analysis?: { state?: string; justification?: string; detail?: string; firstIssued?: string; lastUpdated?: string };
  affects?: Array<{ ref: string }>;
  published?: string;
  updated?: string;
}
interface CdxDocument {
  specVersion: string;
  serialNumber?: string;
  metadata?: { timestamp?: string; component?: CdxComponent };
  components?: CdxComponent[];
  vulnerabilities?: CdxVulnerability[];
}

const validators = new Map<string, ValidateFunction>();

/** The official schema of the version, compiled when a document of it is first read. */
function validatorFor(specVersion: string): ValidateFunction {
  let validator = validators.get(specVersion);
  if (!validator) {
    const schemas = join(dirname(createRequire(import.meta.url).resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');
    const load = (file: string): Record<string, unknown> => JSON.parse(readFileSync(join(schemas, file), 'utf8')) as Record<string, unknown>;
    // Not checked against the meta-schema: they are the official schemas, and checking costs 0.6 s a run (of 1.7 s to compile).
    const ajv = new Ajv({ strict: false, allErrors: false, logger: false, validateSchema: false });
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    // The bundled schemas $ref their neighbours by SNAPSHOT file name, not by those files' $ids.
    for (const file of ['spdx.SNAPSHOT.schema.json', 'jsf-0.82.SNAPSHOT.schema.json']) {
      const { $id: _id, ...schema } = load(file);
      ajv.addSchema(schema, `http://cyclonedx.org/schema/${file}`);
    }
    validator = ajv.compile(load(`bom-${specVersion}.SNAPSHOT.schema.json`));
    validators.set(specVersion, validator);
  }
  return validator;
}

export const isCycloneDx = (document: Record<string, unknown>): boolean => document.bomFormat === 'CycloneDX';

function componentsByRef(document: CdxDocument): Map<string, CdxComponent> {
  const byRef = new Map<string, CdxComponent>();
  const visit = (component: CdxComponent) => {
    if (component['bom-ref'] !== undefined) byRef.set(component['bom-ref'], component);
    component.components?.forEach(visit);
  };
  if (document.metadata?.component) visit(document.metadata.component);
  document.components?.forEach(visit);
  return byRef;
}

/** How the gate can recognise a component: its purl and, for a container image, its reference. */
function idsOfComponent(component: CdxComponent): string[] {
  const ids = component.purl ? [component.purl] : [];
  if (component.type === 'container' && component.name) {
    const version = component.version ?? '';
    ids.push(version === '' ? component.name : `${component.name}${/^sha(256|512):/.test(version) ? '@' : ':'}${version}`);
  }
  return ids;
}

function productOf(ref: string, document: CdxDocument, byRef: Map<string, CdxComponent>, where: string): VexProduct {
  const local = byRef.get(ref);
  if (local) return { ids: idsOfComponent(local), subcomponents: [] };
  if (ref.startsWith('pkg:')) return { ids: [ref], subcomponents: [] };
  if (ref.startsWith('urn:cdx:')) {
    const fragment = decodeURIComponent(ref.slice(ref.indexOf('#') + 1));
    const serial = ref.slice('urn:cdx:'.length).split('/')[0];
    const inThisBom = document.serialNumber === `urn:uuid:${serial}` ? byRef.get(fragment) : undefined;
    if (inThisBom) return { ids: idsOfComponent(inThisBom), subcomponents: [] };
    // A BOM-Link into another BOM: its bom-ref is usable only when it is a purl (as generators commonly make them).
    if (ref.includes('#') && fragment.startsWith('pkg:')) return { ids: [fragment], subcomponents: [] };
    throw new VexError(`${where}: "${ref}" links into another BOM by a bom-ref that is not a purl, which the gate cannot resolve`);
  }
  throw new VexError(`${where}: "${ref}" is not a bom-ref of this document, a purl or a BOM-Link`);
}

export function cycloneDxStatements(document: Record<string, unknown>, file: string): VexStatement[] {
  const specVersion = String(document.specVersion);
  if (!(SPEC_VERSIONS as readonly string[]).includes(specVersion)) {
    throw new VexError(`${file}: /specVersion: CycloneDX ${specVersion} is not read; VEX needs ${SPEC_VERSIONS.join(', ')}`);
  }
  const validator = validatorFor(specVersion);
  if (!validator(document)) throw new VexError(`${file}: ${schemaProblem(validator.errors)}`);
  const bom = document as unknown as CdxDocument;
  const byRef = componentsByRef(bom);
  return (bom.vulnerabilities ?? []).flatMap((vulnerability, index) => {
    const state = vulnerability.analysis?.state;
    // Without an analysis it is a vulnerability report (VDR), not a statement about exposure.
    if (state === undefined || vulnerability.id === undefined) return [];
    const where = `${file}: /vulnerabilities/${index}`;
    if (!vulnerability.affects || vulnerability.affects.length === 0) throw new VexError(`${where}: names no affected components, so it applies to nothing`);
    const ids = [vulnerability.id, ...(vulnerability.references ?? []).flatMap((reference) => (reference.id ? [reference.id] : []))];
    const status = STATUS_OF_STATE[state]!;
    const analysis = vulnerability.analysis!;
    return [
      {
        vulnerabilities: [...new Set(ids)],
        products: vulnerability.affects.map((affected, i) => productOf(affected.ref, bom, byRef, `${where}/affects/${i}/ref`)),
        status,
        ...defined({
          statedStatus: state === status ? undefined : state,
          justification: analysis.justification,
          detail: analysis.detail,
          timestamp: analysis.lastUpdated ?? analysis.firstIssued ?? vulnerability.updated ?? vulnerability.published ?? bom.metadata?.timestamp,
        }),
        source: `${file}#${index}`,
      },
    ];
  });
}
