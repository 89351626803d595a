// Platform strings (os/arch[/variant]) and picking one image out of an index.
import { ImageNotFoundError } from './image-errors.ts';
import type { Descriptor, Platform } from './oci-types.ts';

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
  const candidates = manifests.filter(
    (m) => m.platform && m.platform.os === wanted.os && m.platform.architecture === wanted.architecture,
  );
  const exact = candidates.find((m) => normalVariant(m.platform!) === normalVariant(wanted));
  // A request without a variant takes the first one for that os/arch (as docker pull does).
  const chosen = exact ?? (wanted.variant ? undefined : candidates[0]);
  if (!chosen) {
    const offered = manifests.map((m) => (m.platform ? formatPlatform(m.platform) : 'unknown')).join(', ');
    throw new ImageNotFoundError(`no image for platform ${formatPlatform(wanted)} (index offers: ${offered || 'none'})`);
  }
  return chosen;
}
