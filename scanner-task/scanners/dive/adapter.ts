// dive (`dive <image> --json <file>`): layer efficiency. Its verdict becomes one check, in
// the terms of dive's own CI rule (lowestEfficiency 0.9 by default).
import { type ScannerAdapter, type ScannerOutput } from '../scanner-adapter.ts';

interface DiveJson {
  image?: {
    sizeBytes?: number;
    inefficientBytes?: number;
    efficiencyScore?: number;
    fileReference?: Array<{ count: number; sizeBytes: number; file: string }>;
  };
}

const LOWEST_EFFICIENCY = 0.9;

export function parseDive(json: unknown): ScannerOutput {
  const image = (json as DiveJson)?.image;
  if (!image || typeof image.efficiencyScore !== 'number') return { vulnerabilities: [], packages: [], checks: [] };
  const wasted = (image.fileReference ?? []).slice(0, 20).map((f) => `${f.file}: ${f.count} copies, ${f.sizeBytes} bytes`);
  return {
    vulnerabilities: [],
    packages: [],
    checks: [
      {
        id: 'DIVE-EFFICIENCY',
        title: `Image efficiency ${(image.efficiencyScore * 100).toFixed(1)}% (${image.inefficientBytes ?? 0} bytes wasted of ${image.sizeBytes ?? 0})`,
        level: image.efficiencyScore < LOWEST_EFFICIENCY ? 'WARN' : 'PASS',
        ...(wasted.length > 0 ? { details: wasted } : {}),
      },
    ],
  };
}

export const diveAdapter: ScannerAdapter = {
  name: 'dive',
  // Besides a docker-archive, dive reads only a Docker daemon or podman: never there in a task.
  reads: ['docker-archive'],
  versionArgs: ['--version'],
  parseVersion: (output) => /dive\s+(\S+)/.exec(output)?.[1] ?? output.trim(),
  args: (target, outputFile) => ['--source', 'docker-archive', target.location, '--json', outputFile],
  writesFile: true,
  parse: parseDive,
};
