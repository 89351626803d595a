// `harborguard ci` without a server: the image scanned here, as `harborguard scan` would, as the
// gate's input, with the SBOM source the CycloneDX report lists. Loaded only in this mode.
import type { SbomSource } from '#shared/sbom/sbom-source.ts';
import { gateInputFromEnvelope } from '../../gate/gate-input.ts';
import type { GateInput } from '../../gate/gate-types.ts';
import { toEnvelope } from '../../report/envelope.ts';
import { sbomSourceOf } from '../../report/sbom.ts';
import type { ImageScanFlags } from '../image-scan-options.ts';
import { scanImage } from '../image-scan.ts';

export async function scanLocally(
  image: string,
  flags: ImageScanFlags,
  progress: (message: string) => void,
): Promise<{ input: GateInput; sbomSource: SbomSource }> {
  const { report } = await scanImage(image, flags, 'ci', progress);
  return { input: gateInputFromEnvelope(toEnvelope(report), image), sbomSource: sbomSourceOf(report) };
}
