// The explicit list of external scanners: adding one is a folder and a line here.
// "harborguard" (the built-in engine) is not here: it runs in-process.
import { diveAdapter } from './dive/adapter.ts';
import { dockleAdapter } from './dockle/adapter.ts';
import { grypeAdapter } from './grype/adapter.ts';
import { osvScannerAdapter } from './osv-scanner/adapter.ts';
import type { ScannerAdapter } from './scanner-adapter.ts';
import { syftAdapter } from './syft/adapter.ts';
import { trivyAdapter } from './trivy/adapter.ts';

export const scannerAdapters: Readonly<Record<string, ScannerAdapter>> = {
  trivy: trivyAdapter,
  grype: grypeAdapter,
  syft: syftAdapter,
  osv: osvScannerAdapter,
  dockle: dockleAdapter,
  dive: diveAdapter,
};

export const SCANNER_NAMES = ['harborguard', ...Object.keys(scannerAdapters)] as const;
