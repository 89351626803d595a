// Platform strings (os/arch[/variant]), picking one image out of an index, and refusing an image
// that is built for another platform than the one asked for.
import { UnsupportedPlatformError } from '#shared/registry/image-errors.ts';
import type { Descriptor, ImageConfig, Platform } from './oci-types.ts';

export const DEFAULT_PLATFORM: Platform = { os: 'linux', architecture: 'amd64' };

export function parsePlatform(value: string): Platform {
  const [os, architecture, variant] = value.split('/');
  if (!os || !architecture) throw new Error(`invalid platform "${value}": expected os/arch[/variant]`);
  return variant ? { os, architecture, variant } : { os, architecture };
}

export const formatPlatform = (p: Platform): string => [p.os, p.architecture, p.variant].filter(Boolean).join('/');

// arm64 images usually say variant v8 or nothing at all: treat the two as the same.
const normalVariant = (p: Platform): string | undefined => (p.architecture === 'arm64' && p.variant === 'v8' ? undefined : p.variant);

export function selectPlatform(manifests: Descriptor[], wanted: Platform): Descriptor {
  const candidates = manifests.filter((m) => m.platform && m.platform.os === wanted.os && m.platform.architecture === wanted.architecture);
  const exact = candidates.find((m) => normalVariant(m.platform!) === normalVariant(wanted));
  // A request without a variant takes the first one for that os/arch (as docker pull does).
  const chosen = exact ?? (wanted.variant ? undefined : candidates[0]);
  if (!chosen) {
    const offered = manifests.map((m) => (m.platform ? formatPlatform(m.platform) : 'unknown')).join(', ');
    throw new UnsupportedPlatformError(`no image for platform ${formatPlatform(wanted)} (index offers: ${offered || 'none'})`);
  }
  return chosen;
}

/**
 * A single-platform image has nothing to choose between: the platform its config names is the
 * only one it has. Refused when that is not the one asked for (UnsupportedPlatformError). As in selectPlatform, a request without a variant
 * accepts any, and a config without os/architecture or variant is taken at its word: it says
 * nothing to contradict.
 */
export function refuseOtherPlatform(config: ImageConfig, wanted: Platform): void {
  const { os, architecture, variant } = config;
  if (!os || !architecture) return;
  const offered: Platform = variant ? { os, architecture, variant } : { os, architecture };
  const variantAgrees = !wanted.variant || !variant || normalVariant(offered) === normalVariant(wanted);
  if (os === wanted.os && architecture === wanted.architecture && variantAgrees) return;
  throw new UnsupportedPlatformError(`the image is for platform ${formatPlatform(offered)} only, not ${formatPlatform(wanted)} as asked`);
}
