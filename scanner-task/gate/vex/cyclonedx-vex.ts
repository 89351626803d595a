// CycloneDX VEX: a CycloneDX 1.4–1.6 JSON BOM whose vulnerabilities carry an `analysis`. The
// fields read are checked, then each analysed vulnerability becomes a VexStatement about the
// components its `affects` name: a bom-ref of this document, a purl, or a BOM-Link
// (`urn:cdx:<serial>/<version>#<bom-ref>`).
import * as z from '#shared/validation.ts';
import { defined } from '../defined.ts';
import { VexError } from './vex-error.ts';
import type { VexProduct, VexStatement, VexStatus } from './vex-statement.ts';

const SPEC_VERSIONS = ['1.4', '1.5', '1.6'] as const;

/** CycloneDX analysis states as OpenVEX statuses: the first four take a finding out of the count. */
const STATUS_OF_STATE = {
  not_affected: 'not_affected',
  false_positive: 'not_affected',
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
  exploitable: 'affected',
  in_triage: 'under_investigation',
} as const satisfies Record<string, VexStatus>;
const STATES = Object.keys(STATUS_OF_STATE) as Array<keyof typeof STATUS_OF_STATE>;
const JUSTIFICATIONS = [
  'code_not_present',
  'code_not_reachable',
  'requires_configuration',
  'requires_dependency',
  'requires_environment',
  'protected_by_compiler',
  'protected_at_runtime',
  'protected_at_perimeter',
  'protected_by_mitigating_control',
] as const;

// The fields the gate reads, checked as CycloneDX 1.4–1.6 define them; the rest of a BOM is not its
// business. Not the official JSON schemas: the shipped CLI is a bundle without node_modules, where
// the library's schema files are not, and compiling them took 1.7 s a run.
const text = z.string().check(z.minLength(1));
const time = z.iso.datetime({ offset: true });

interface CdxComponent {
  'bom-ref'?: string | undefined;
  type?: string | undefined;
  name?: string | undefined;
  version?: string | undefined;
  purl?: string | undefined;
  components?: CdxComponent[] | undefined;
}
const componentSchema: z.ZodMiniType<CdxComponent> = z.looseObject({
  'bom-ref': z.optional(text),
  type: z.optional(z.string()),
  name: z.optional(z.string()),
  version: z.optional(z.string()),
  purl: z.optional(z.string()),
  get components() {
    return z.optional(z.array(componentSchema));
  },
});

const vulnerabilitySchema = z.looseObject({
  id: z.optional(z.string()),
  references: z.optional(z.array(z.looseObject({ id: z.string() }))),
  analysis: z.optional(
    z.looseObject({
      state: z.optional(z.enum(STATES)),
      justification: z.optional(z.enum(JUSTIFICATIONS)),
      detail: z.optional(z.string()),
      firstIssued: z.optional(time),
      lastUpdated: z.optional(time),
    }),
  ),
  affects: z.optional(z.array(z.looseObject({ ref: text }))),
  published: z.optional(time),
  updated: z.optional(time),
});

const documentSchema = z.looseObject({
  bomFormat: z.literal('CycloneDX'),
  specVersion: z.string(),
  serialNumber: z.optional(z.string()),
  metadata: z.optional(z.looseObject({ timestamp: z.optional(time), component: z.optional(componentSchema) })),
  components: z.optional(z.array(componentSchema)),
  vulnerabilities: z.optional(z.array(vulnerabilitySchema)),
});
type CdxDocument = z.infer<typeof documentSchema>;

/** A zod issue's path as the JSON pointer Ajv and OpenVEX's errors use (RFC 6901). */
const pointer = (path: readonly PropertyKey[]): string => `/${path.map((part) => String(part).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

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
  const parsed = documentSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new VexError(`${file}: ${pointer(issue.path)}: ${issue.message}`);
  }
  const bom = parsed.data;
  const byRef = componentsByRef(bom);
  return (bom.vulnerabilities ?? []).flatMap((vulnerability, index) => {
    const state = vulnerability.analysis?.state;
    // Without an analysis it is a vulnerability report (VDR), not a statement about exposure.
    if (state === undefined || vulnerability.id === undefined) return [];
    const where = `${file}: /vulnerabilities/${index}`;
    if (!vulnerability.affects || vulnerability.affects.length === 0) throw new VexError(`${where}: names no affected components, so it applies to nothing`);
    const ids = [vulnerability.id, ...(vulnerability.references ?? []).flatMap((reference) => (reference.id ? [reference.id] : []))];
    const status = STATUS_OF_STATE[state];
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
