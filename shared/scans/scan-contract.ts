// What the control plane and the scanner task agree on about a scan: how its id looks and the
// codes a failed scan carries.

/** What a scan id looks like: ours (scn- + 12 base36) and sensor-chosen ones alike. */
export const SCAN_ID_PATTERN = /^scn-[A-Za-z0-9_-]{1,64}$/;

/**
 * Why a scan failed, as a code a client can act on and a sentence a person can.
 * REGISTRY_UNREACHABLE is one answer for every way a registry cannot be talked to (closed port,
 * a server that is not a registry, TLS failure), so failures never tell ports apart.
 * EGRESS_DENIED: the egress policy refused the address (docs/SECURITY.md).
 * IMAGE_TOO_LARGE: the image is beyond the engine's limits (entries, paths, packages, bytes).
 */
export const FAILURE_CODES = [
  'IMAGE_NOT_FOUND',
  'REGISTRY_AUTH_REQUIRED',
  'REGISTRY_UNREACHABLE',
  'EGRESS_DENIED',
  'UNSUPPORTED_PLATFORM',
  'INVALID_IMAGE',
  'IMAGE_TOO_LARGE',
  'SCANNER_CRASHED',
  'TIMED_OUT',
  'NOT_STARTED',
] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];
