// The scanner image's build arguments as a deployment builds it: scanner-task/Dockerfile's ARG
// defaults, overridden by the deployment's scannerBuildArgs. Which scanners the API offers follows
// from them (shared/scans/scanners.ts), so the offer cannot drift from what the image installs.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scannersBuiltWith, type ScannerName } from '#shared/scans/scanners.ts';

export const SCANNER_DOCKERFILE = fileURLToPath(new URL('../scanner-task/Dockerfile', import.meta.url));

/** `ARG NAME=default` lines; an ARG without `=` has no default and is left out. */
export function dockerfileArgDefaults(dockerfile: string): Record<string, string> {
  return Object.fromEntries([...dockerfile.matchAll(/^ARG ([A-Za-z0-9_]+)=(\S*)\s*$/gm)].map((match) => [match[1]!, match[2]!]));
}

export function scannersInImage(buildArgs: Readonly<Record<string, string>>, dockerfile = readFileSync(SCANNER_DOCKERFILE, 'utf8')): ScannerName[] {
  return scannersBuiltWith({ ...dockerfileArgDefaults(dockerfile), ...buildArgs });
}
