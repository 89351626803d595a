// The envelope's limits, applied by the engine before anything is uploaded, with the schema itself
// as the one source: an image with more layers, packages or vulnerabilities than an envelope holds
// is refused (ImageTooLargeError → IMAGE_TOO_LARGE, one line saying which count and its maximum),
// and a single record the schema would reject (a hostile name or version) is left out with a
// warning. Without this, the schema's refusal at upload was the scan's failure reason: a raw dump.
import {
  ENVELOPE_MAXIMA,
  envelopePackageSchema,
  envelopeVulnerabilitySchema,
  scanEnvelopeSchema,
  type EnvelopeVulnerability,
} from '#shared/envelope/envelope-schema.ts';
import { ImageTooLargeError } from '#shared/registry/image-errors.ts';
import type { ResolvedImage } from '../image/resolved-image.ts';
import type { OsInfo, Package } from '#shared/packages/package.ts';
import { toEnvelopePackage } from '../report/envelope.ts';

const VERB: Record<keyof typeof ENVELOPE_MAXIMA, string> = { layers: 'scanned', packages: 'scanned', vulnerabilities: 'reported' };

/** Refuses the image when it has more of `what` than an envelope holds. */
export function refuseBeyondEnvelope(what: keyof typeof ENVELOPE_MAXIMA, count: number): void {
  const max = ENVELOPE_MAXIMA[what];
  if (count > max) throw new ImageTooLargeError(`the image has ${count.toLocaleString('en')} ${what}; at most ${max.toLocaleString('en')} are ${VERB[what]}`);
}

function keepValid<T>(items: T[], valid: (item: T) => boolean, what: string, warnings: string[]): T[] {
  const kept = items.filter(valid);
  if (kept.length < items.length) warnings.push(`${items.length - kept.length} ${what} left out: a field exceeds the envelope's limits`);
  return kept;
}

/**
 * Characters up to which every string of a package record meets the package schema: its string
 * maxima are 512 or more (type aside, which the engine sets), and 128 characters are at most 384
 * UTF-8 bytes. Routine records are therefore not validated one by one (that was a second of a
 * 200,000-package scan); envelope-fit.test.ts checks this against the schema itself.
 */
export const ROUTINE_FIELD_CHARS = 128;

const routine = (value: string | undefined): boolean => value === undefined || value.length <= ROUTINE_FIELD_CHARS;

// matchedVia's reason is one fixed sentence around its owner's name: routine when the name is.
function routinePackage(p: Package): boolean {
  return (
    p.name.length > 0 &&
    routine(p.name) &&
    routine(p.version) &&
    routine(p.purl) &&
    routine(p.location) &&
    routine(p.sourceName) &&
    routine(p.sourceVersion) &&
    routine(p.ownedBy) &&
    routine(p.matchedVia?.name) &&
    p.licenses.every(routine)
  );
}

export function fitPackages(packages: Package[], warnings: string[]): Package[] {
  refuseBeyondEnvelope('packages', packages.length);
  return keepValid(packages, (p) => routinePackage(p) || envelopePackageSchema.safeParse(toEnvelopePackage(p)).success, 'package(s)', warnings);
}

export function fitVulnerabilities(vulnerabilities: EnvelopeVulnerability[], warnings: string[]): EnvelopeVulnerability[] {
  refuseBeyondEnvelope('vulnerabilities', vulnerabilities.length);
  return keepValid(vulnerabilities, (v) => envelopeVulnerabilitySchema.safeParse(v).success, 'vulnerability record(s)', warnings);
}

const imageFields = scanEnvelopeSchema.shape.image.shape;

/** The OS as the envelope can name it, or undefined (with a warning) when os-release says more than it holds. */
export function fitOs(os: OsInfo | undefined, warnings: string[]): OsInfo | undefined {
  if (!os || imageFields.os.safeParse({ id: os.id, ...(os.versionId ? { version: os.versionId } : {}) }).success) return os;
  warnings.push("os-release left out: its ID or VERSION_ID exceeds the envelope's limits");
  return undefined;
}

/** Drops an image name or tag (from an archive's RepoTags) that the envelope cannot carry. */
export function fitImageName(image: ResolvedImage, warnings: string[]): void {
  if (image.name !== undefined && !imageFields.name.safeParse(image.name).success) {
    delete image.name;
    warnings.push("the image's name left out: it exceeds the envelope's limits");
  }
  if (image.tag !== undefined && !imageFields.tag.safeParse(image.tag).success) {
    delete image.tag;
    warnings.push("the image's tag left out: it exceeds the envelope's limits");
  }
}
