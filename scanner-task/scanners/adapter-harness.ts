// Shared by the adapter tests: read a recorded output and check the envelope parts
// against the shared schema, so an adapter can never emit what the control plane rejects.
import { readFileSync } from 'node:fs';
import { envelopeCheckSchema, envelopePackageSchema, envelopeVulnerabilitySchema } from '#shared/envelope/envelope-schema.ts';
import type { ScannerOutput } from './scanner-adapter.ts';

export function parseFixture(url: URL, parse: (json: unknown) => ScannerOutput): ScannerOutput {
  const output = parse(JSON.parse(readFileSync(url, 'utf8')));
  for (const v of output.vulnerabilities) envelopeVulnerabilitySchema.parse(v);
  for (const p of output.packages) envelopePackageSchema.parse(p);
  for (const c of output.checks) envelopeCheckSchema.parse(c);
  return output;
}
