// Runs the external scanners a scan asked for, when their binaries are on PATH, and records
// for each its name, version, duration and error. A requested scanner missing in this
// runtime gets an entry with an error: never silently skipped.
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { ScanEnvelope } from '#domain/envelope/envelope-schema.ts';
import { scannerAdapters } from './index.ts';
import { parseTarget, type ScannerAdapter, type ScannerOutput } from './scanner-adapter.ts';

export type EnvelopeScanner = ScanEnvelope['scanners'][number];

export interface ScannerRun {
  scanner: EnvelopeScanner;
  output?: ScannerOutput;
}

export interface RunScannersOptions {
  /** Where to look for binaries (default: $PATH). */
  path?: string;
  timeoutMs?: number;
  adapters?: Readonly<Record<string, ScannerAdapter>>;
}

const MAX_OUTPUT = 1024 * 1024 * 1024;

export async function findOnPath(binary: string, path = process.env.PATH ?? ''): Promise<string | undefined> {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, binary);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

function run(file: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { maxBuffer: MAX_OUTPUT, timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message.split('\n', 1)[0]}${stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`));
      else resolve(stdout);
    });
  });
}

const clip = (message: string): string => message.slice(0, 4096);

async function runOne(adapter: ScannerAdapter, binary: string, source: string, timeoutMs: number): Promise<ScannerRun> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  let version: string | undefined;
  const dir = await mkdtemp(join(tmpdir(), `hg-${adapter.name}-`));
  try {
    version = adapter.parseVersion(await run(binary, adapter.versionArgs, timeoutMs)).slice(0, 128);
    const outputFile = join(dir, 'out.json');
    const stdout = await run(binary, adapter.args(parseTarget(source), outputFile), timeoutMs);
    const text = adapter.writesFile ? await readFile(outputFile, 'utf8') : stdout;
    const output = adapter.parse(JSON.parse(text));
    return { scanner: { name: adapter.name, ...(version ? { version } : {}), durationMs: elapsed() }, output };
  } catch (error) {
    return { scanner: { name: adapter.name, ...(version ? { version } : {}), durationMs: elapsed(), error: clip(error instanceof Error ? error.message : String(error)) } };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One entry per requested external scanner, in the order asked; "harborguard" is the caller's own engine. */
export async function runScanners(names: readonly string[], source: string, options: RunScannersOptions = {}): Promise<ScannerRun[]> {
  const adapters = options.adapters ?? scannerAdapters;
  const runs: ScannerRun[] = [];
  for (const name of [...new Set(names)].filter((n) => n !== 'harborguard')) {
    const adapter = Object.hasOwn(adapters, name) ? adapters[name] : undefined;
    if (!adapter) {
      runs.push({ scanner: { name: name.slice(0, 64), error: `unknown scanner (known: harborguard, ${Object.keys(adapters).join(', ')})` } });
      continue;
    }
    const binary = await findOnPath(adapter.binary, options.path);
    if (!binary) {
      runs.push({ scanner: { name, error: `${adapter.binary} is not installed in this runtime (not found on PATH)` } });
      continue;
    }
    // One at a time: the tools are each memory- and CPU-hungry on a small task.
    runs.push(await runOne(adapter, binary, source, options.timeoutMs ?? 15 * 60_000));
  }
  return runs;
}
