// From a <source> string to a full ScanReport: the one function the CLI and the Fargate task call.
import { complianceOf } from '#shared/compliance/compliance-grade.ts';
import { runChecks } from '../checks/run-checks.ts';
import { openImage, type OpenImageOptions } from '../image/open-image.ts';
import { formatPlatform, DEFAULT_PLATFORM } from '../image/platform.ts';
import { layerBreakdown } from '../layers/layer-breakdown.ts';
import type { ScanReport } from '../report/scan-report.ts';
import { refuseBeyondEnvelope } from './envelope-fit.ts';
import { scanImage, type ScanOptions } from './scan-image.ts';

export async function runScan(source: string, options: OpenImageOptions & ScanOptions = {}): Promise<ScanReport> {
  const startedAt = new Date().toISOString();
  const image = await openImage(source, options);
  try {
    const scan = await scanImage(image, options);
    const breakdown = layerBreakdown(scan);
    // History steps count as layers in the envelope, empty ones included.
    refuseBeyondEnvelope('layers', breakdown.layers.length);
    const checks = runChecks(scan);
    const { os, architecture, variant } = image.config;
    const platform =
      os && architecture ? formatPlatform({ os, architecture, ...(variant ? { variant } : {}) }) : formatPlatform(options.platform ?? DEFAULT_PLATFORM);
    return { source, platform, startedAt, finishedAt: new Date().toISOString(), scan, breakdown, checks, compliance: complianceOf(checks) };
  } finally {
    await image.close();
  }
}
