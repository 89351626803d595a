// VEX documents for the gate: `loadVex(path)` reads one, tells OpenVEX from CycloneDX, and returns
// its statements in the one model (vex-statement.ts); anything it cannot use is one VexError line.
import { readFileSync } from 'node:fs';
import { displayPath } from '../display-path.ts';
import { cycloneDxStatements, isCycloneDx } from './cyclonedx-vex.ts';
import { isOpenVex, openVexStatements } from './openvex.ts';
import { VexError } from './vex-error.ts';
import type { VexStatement } from './vex-statement.ts';

export { VexError } from './vex-error.ts';
export type { VexStatement } from './vex-statement.ts';

export function loadVex(path: string): VexStatement[] {
  const file = displayPath(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new VexError(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read it (${code ?? String(error)})`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new VexError(`${file}: not JSON: ${(error as Error).message}`);
  }
  if (typeof document === 'object' && document !== null && !Array.isArray(document)) {
    const record = document as Record<string, unknown>;
    if (isOpenVex(record)) return openVexStatements(record, file);
    if (isCycloneDx(record)) return cycloneDxStatements(record, file);
  }
  throw new VexError(`${file}: neither OpenVEX (an "@context" of https://openvex.dev/ns/…) nor CycloneDX ("bomFormat": "CycloneDX")`);
}

/** Every statement of every document, in the order given: at equal times a later one decides. */
export const loadVexFiles = (paths: readonly string[]): VexStatement[] => paths.flatMap((path) => loadVex(path));
