// The contract for an external scanner: how to run it on an image and how to read its JSON
// into envelope vulnerabilities, packages and checks. Parsers are pure (JSON in, envelope
// parts out), so they are tested on recorded outputs without the tool.
import type { EnvelopePackage, EnvelopeVulnerability, ScanEnvelope, Severity } from '#shared/envelope/envelope-schema.ts';
import { SEVERITIES } from '#shared/envelope/envelope-schema.ts';
import type { RawOutputScanner } from '#shared/scans/scanners.ts';
import { formatImageReference } from '#shared/image-reference/image-reference.ts';
import { parseImageSource } from '#shared/image-reference/image-source.ts';
import type { Credentials } from '#shared/registry/registry-client.ts';

export type EnvelopeCheck = NonNullable<ScanEnvelope['checks']>[number];

export interface ScannerOutput {
  vulnerabilities: EnvelopeVulnerability[];
  packages: EnvelopePackage[];
  checks: EnvelopeCheck[];
}

/** The image as HarborGuard names it: oci:<dir>, oci-archive:<file>, docker-archive:<file>, or a registry reference. */
export interface ImageTarget {
  kind: 'oci' | 'oci-archive' | 'docker-archive' | 'registry';
  /** Path for local kinds, reference for a registry. */
  location: string;
  /** Registry sources: the registry host (what credentials are for), and how to reach it. */
  registry?: string;
  /** Plain HTTP to the registry (loopback registries only, as the engine allows). */
  insecure?: boolean;
  credentials?: Credentials;
}

export interface ScannerAdapter {
  /** Its binary is the list's (SCANNER_TOOLS[name].binary), as the image installs it. */
  name: RawOutputScanner;
  /** The image forms the tool reads by itself; any other is first copied to a docker-archive for it (default: all). */
  reads?: ReadonlyArray<ImageTarget['kind']>;
  versionArgs: string[];
  parseVersion(output: string): string;
  /** Arguments for one scan; `outputFile` is where tools that cannot print JSON to stdout write it. */
  args(target: ImageTarget, outputFile: string): string[];
  /** Environment for one scan: registry credentials travel here, never in arguments (visible in ps). */
  env?(target: ImageTarget): Record<string, string>;
  /** Whether the JSON is read from outputFile instead of stdout. */
  writesFile?: boolean;
  parse(json: unknown): ScannerOutput;
}

export function parseTarget(source: string, registry: { insecure?: boolean; credentials?: Credentials } = {}): ImageTarget {
  const reference = parseImageSource(source);
  // A local image's tag is HarborGuard's selector; the tools take the layout directory or archive.
  if (reference.kind !== 'registry') return { kind: reference.kind, location: reference.path };
  return {
    kind: 'registry',
    // Normalised, so every tool scans the image the engine read (one host spelling, Docker Hub's defaults).
    location: formatImageReference(reference),
    registry: reference.registry,
    ...(registry.insecure ? { insecure: true } : {}),
    ...(registry.credentials ? { credentials: registry.credentials } : {}),
  };
}

export function toSeverity(value: unknown): Severity {
  const upper = typeof value === 'string' ? value.trim().toUpperCase() : '';
  if ((SEVERITIES as readonly string[]).includes(upper)) return upper as Severity;
  if (upper === 'NEGLIGIBLE' || upper === 'UNKNOWN' || upper === 'UNASSIGNED') return 'INFO';
  if (upper === 'MODERATE') return 'MEDIUM';
  return 'INFO';
}

export const firstCve = (ids: ReadonlyArray<string | undefined>): string | undefined =>
  ids.find((id): id is string => typeof id === 'string' && id.startsWith('CVE-'));

export const asArray = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

export const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** Layer digests as the envelope accepts them ("sha256:<hex>"), else nothing. */
export const digestOrUndefined = (value: unknown): string | undefined => (typeof value === 'string' && /^sha256:[a-f0-9]{64}$/.test(value) ? value : undefined);
