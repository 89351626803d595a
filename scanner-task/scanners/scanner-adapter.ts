// The contract for an external scanner: how to run it on an image and how to read its JSON
// into envelope vulnerabilities, packages and checks. Parsers are pure (JSON in, envelope
// parts out), so they are tested on recorded outputs without the tool.
import type { EnvelopePackage, EnvelopeVulnerability, ScanEnvelope, Severity } from '#domain/envelope/envelope-schema.ts';
import { SEVERITIES } from '#domain/envelope/envelope-schema.ts';

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
}

export interface ScannerAdapter {
  name: string;
  binary: string;
  versionArgs: string[];
  parseVersion(output: string): string;
  /** Arguments for one scan; `outputFile` is where tools that cannot print JSON to stdout write it. */
  args(target: ImageTarget, outputFile: string): string[];
  /** Whether the JSON is read from outputFile instead of stdout. */
  writesFile?: boolean;
  parse(json: unknown): ScannerOutput;
}

export function parseTarget(source: string): ImageTarget {
  const m = /^(oci|oci-archive|docker-archive):(.+)$/.exec(source);
  if (!m) return { kind: 'registry', location: source };
  // oci:<dir>:<tag> — the tag is HarborGuard's selector; the tools take the layout directory.
  const location = m[1] === 'oci' ? m[2]!.replace(/:[^/:]+$/, '') : m[2]!;
  return { kind: m[1] as ImageTarget['kind'], location };
}

export function toSeverity(value: unknown): Severity {
  const upper = typeof value === 'string' ? value.trim().toUpperCase() : '';
  if ((SEVERITIES as readonly string[]).includes(upper)) return upper as Severity;
  if (upper === 'NEGLIGIBLE' || upper === 'UNKNOWN' || upper === 'UNASSIGNED') return 'INFO';
  if (upper === 'MODERATE') return 'MEDIUM';
  return 'INFO';
}

export const firstCve = (ids: ReadonlyArray<string | undefined>): string | undefined => ids.find((id): id is string => typeof id === 'string' && id.startsWith('CVE-'));

export const asArray = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

export const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** Layer digests as the envelope accepts them ("sha256:<hex>"), else nothing. */
export const digestOrUndefined = (value: unknown): string | undefined => (typeof value === 'string' && /^sha256:[a-f0-9]{64}$/.test(value) ? value : undefined);
