// `harborguard scan <source>`: scan an image and write one report format to stdout or a file.
import { writeFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { egressFetch } from '#shared/egress/egress-fetch.ts';
import type { EgressPolicy } from '#shared/egress/egress-policy.ts';
import { toEnvelope } from '../report/envelope.ts';
import { ControlPlaneClient, DEFAULT_INGEST_WAIT } from '../task/control-plane-client.ts';
import type { ScanReport } from '../report/scan-report.ts';
import { scanImage } from './image-scan.ts';
import { egressOf, withImageScanOptions, type ImageScanFlags } from './image-scan-options.ts';

type ReportWriter = (report: ScanReport) => string;
/** Each format's writer, loaded when asked for: the SBOM writers carry the CycloneDX library. */
const FORMATS: Record<string, () => Promise<ReportWriter>> = {
  envelope: async () => (report) => `${JSON.stringify(toEnvelope(report), null, 2)}\n`,
  cyclonedx: async () => {
    const [{ toCycloneDx }, { sbomSourceOf }] = await Promise.all([import('#shared/sbom/cyclonedx.ts'), import('../report/sbom.ts')]);
    return (report) => `${toCycloneDx(sbomSourceOf(report))}\n`;
  },
  spdx: async () => {
    const [{ toSpdx }, { sbomSourceOf }] = await Promise.all([import('#shared/sbom/spdx.ts'), import('../report/sbom.ts')]);
    return (report) => `${toSpdx(sbomSourceOf(report))}\n`;
  },
  table: async () => (await import('../report/table.ts')).toTable,
};

interface ScanFlags extends ImageScanFlags {
  format: string;
  output?: string;
  upload?: string;
  apiKey?: string;
}

/** The control plane to upload to, its key checked first: a scan is not wasted on a key that cannot upload. */
async function checkedUploader(flags: ScanFlags, egress: EgressPolicy | undefined): Promise<ControlPlaneClient | undefined> {
  const uploadUrl = flags.upload ?? process.env.HARBORGUARD_UPLOAD_URL;
  if (!uploadUrl) return undefined;
  const apiKey = flags.apiKey ?? process.env.HARBORGUARD_API_KEY;
  if (!apiKey) throw new Error('--upload needs --api-key (or HARBORGUARD_API_KEY)');
  const client = new ControlPlaneClient(uploadUrl, apiKey, DEFAULT_INGEST_WAIT, egressFetch(egress));
  await client.assertSensorKey();
  return client;
}

export function scanCommand(): Command {
  const command = new Command('scan')
    .description('scan a container image: packages, layers, configuration checks, SBOM')
    .argument('<source>', 'oci:<dir>[:tag], oci-archive:<file>[:tag], docker-archive:<file>, or a registry reference')
    .addOption(new Option('--format <format>', 'output format').choices(Object.keys(FORMATS)).default('table'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--upload <url>', 'send the envelope to a HarborGuard control plane at this base URL (or HARBORGUARD_UPLOAD_URL), as a sensor')
    .option('--api-key <key>', 'sensor API key for --upload (or HARBORGUARD_API_KEY)');
  return withImageScanOptions(command).action(async (source: string, flags: ScanFlags) => {
    // Progress is for people watching a terminal; pipes and CI logs get only the report.
    const progress = process.stderr.isTTY ? (message: string) => process.stderr.write(`\r\x1b[K${message}`) : undefined;
    const uploader = await checkedUploader(flags, egressOf(flags));
    const { report } = await scanImage(source, flags, 'scan', progress);
    if (uploader) {
      const answer = (await uploader.upload(toEnvelope(report))) as { data: { id: string; riskScore: number | null; compliance: string | null } };
      process.stderr.write(
        `uploaded ${answer.data.id}: risk ${answer.data.riskScore ?? '- (not matched against advisories)'}, grade ${answer.data.compliance ?? '-'}\n`,
      );
      if (!flags.output) return;
    }
    const text = (await FORMATS[flags.format]!())(report);
    // A reader that stops early (`| head`) is not a failure of the scan.
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
      throw error;
    });
    if (flags.output) await writeFile(flags.output, text);
    else process.stdout.write(text);
  });
}
