// The scanners a scan can run: HarborGuard's own engine and the external tools the scanner image
// ships. The one list; the API's validation, the scanner adapters (scanner-task/scanners/index.ts),
// the image's build arguments (scanner-task/Dockerfile), infra and the test stack read it, and
// test/infra/scanners-in-image.test.ts holds them to it.
export const SCANNERS = ['harborguard', 'trivy', 'grype', 'syft', 'osv', 'dockle', 'dive'] as const;
export type ScannerName = (typeof SCANNERS)[number];

/** Scanners that leave a raw output: every one but HarborGuard's own engine (its output is the envelope). */
export type RawOutputScanner = Exclude<ScannerName, 'harborguard'>;
export const RAW_OUTPUT_SCANNERS = SCANNERS.filter((name): name is RawOutputScanner => name !== 'harborguard');
/** What the scanner task keeps of one tool's output; a larger output is recorded as omitted. */
export const MAX_RAW_OUTPUT_BYTES = 50 * 1024 * 1024;

export const isRawOutputScanner = (name: string): name is RawOutputScanner => (RAW_OUTPUT_SCANNERS as readonly string[]).includes(name);

export interface ScannerTool {
  /** The executable on PATH, as the image installs it. */
  binary: string;
  /**
   * The stem of its names: the image's build arguments `<stem>_VERSION` and `<stem>_SHA256`, and
   * the tool's own environment settings `<stem>_*` (TRIVY_CACHE_DIR…), which the local stack passes on.
   */
  stem: string;
}

/** Each external scanner's tool; an entry missing here, or one the Dockerfile does not install, fails a test. */
export const SCANNER_TOOLS = {
  trivy: { binary: 'trivy', stem: 'TRIVY' },
  grype: { binary: 'grype', stem: 'GRYPE' },
  syft: { binary: 'syft', stem: 'SYFT' },
  osv: { binary: 'osv-scanner', stem: 'OSV_SCANNER' },
  dockle: { binary: 'dockle', stem: 'DOCKLE' },
  dive: { binary: 'dive', stem: 'DIVE' },
} as const satisfies Record<RawOutputScanner, ScannerTool>;

/**
 * The scanners an image built with these build arguments (the Dockerfile's defaults merged with
 * the deployment's) carries: the Dockerfile installs a tool only when its SHA-256 is given.
 */
export function scannersBuiltWith(buildArgs: Readonly<Record<string, string | undefined>>): ScannerName[] {
  return SCANNERS.filter((name) => name === 'harborguard' || Boolean(buildArgs[`${SCANNER_TOOLS[name].stem}_SHA256`]));
}
