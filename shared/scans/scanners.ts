// The scanners a scan can run: HarborGuard's own engine and the external tools the scanner image
// ships. The one list; the API's validation, the scanner adapters, the image's build arguments and
// the test stack read it.
export const SCANNERS = ['harborguard', 'trivy', 'grype', 'syft', 'osv', 'dockle', 'dive'] as const;
export type ScannerName = (typeof SCANNERS)[number];

/** Scanners that leave a raw output: every one but HarborGuard's own engine (its output is the envelope). */
export const RAW_OUTPUT_SCANNERS = SCANNERS.filter((name) => name !== 'harborguard');
export type RawOutputScanner = (typeof RAW_OUTPUT_SCANNERS)[number];
/** What the scanner task keeps of one tool's output; a larger output is recorded as omitted. */
export const MAX_RAW_OUTPUT_BYTES = 50 * 1024 * 1024;

export const isRawOutputScanner = (name: string): name is RawOutputScanner => (RAW_OUTPUT_SCANNERS as readonly string[]).includes(name);
