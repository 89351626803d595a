// The adapter of every external scanner in shared/scans/scanners.ts, one each (the compiler checks
// both ways). "harborguard" (the built-in engine) is not here: it runs in-process.
import type { RawOutputScanner } from '#shared/scans/scanners.ts';
import { diveAdapter } from './dive/adapter.ts';
import { dockleAdapter } from './dockle/adapter.ts';
import { grypeAdapter } from './grype/adapter.ts';
import { osvScannerAdapter } from './osv-scanner/adapter.ts';
import type { ScannerAdapter } from './scanner-adapter.ts';
import { syftAdapter } from './syft/adapter.ts';
import { trivyAdapter } from './trivy/adapter.ts';

export const scannerAdapters = {
  trivy: trivyAdapter,
  grype: grypeAdapter,
  syft: syftAdapter,
  osv: osvScannerAdapter,
  dockle: dockleAdapter,
  dive: diveAdapter,
} as const satisfies Record<RawOutputScanner, ScannerAdapter>;
