// The formats `harborguard ci` writes (`--format`, `--output format=path`), by name. Each writer
// turns a decided verdict into text and takes from the options only what it needs; `table` is the
// CLI's own.
import type { GateInput, Verdict } from '../gate-types.ts';
import { toCycloneDxVdr, type CycloneDxVdrOptions } from './cyclonedx-vdr.ts';
import { toGateJson } from './json.ts';
import { toJunit, type JunitOptions } from './junit.ts';
import { toMarkdown } from './markdown.ts';
import { toSarif, type SarifOptions } from './sarif.ts';
import type { GateFormat } from './formats.ts';

export type GateReportOptions = SarifOptions & JunitOptions & CycloneDxVdrOptions;
export type GateReportWriter = (input: GateInput, verdict: Verdict, options: GateReportOptions) => string;

const writers = {
  json: toGateJson,
  sarif: toSarif,
  junit: toJunit,
  markdown: toMarkdown,
  cyclonedx: toCycloneDxVdr,
} satisfies Record<GateFormat, GateReportWriter>;

export type { GateFormat } from './formats.ts';

/** Each writer under one signature, so the CLI calls any of them by name with the same options. */
export const GATE_FORMATS: Readonly<Record<GateFormat, GateReportWriter>> = writers;
