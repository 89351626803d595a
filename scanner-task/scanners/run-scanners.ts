// Runs the external scanners a scan asked for, when their binaries are on PATH, and records
// for each its name, version, duration and error, and its own JSON output (bounded), which the
// task stores as the scan's raw output. A requested scanner missing in this
// runtime gets an entry with an error: never silently skipped. A tool that cannot read the
// image in the form it was given gets a local docker-archive copy, made once for all of them.
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { EnvelopeScanner } from '#shared/envelope/envelope-schema.ts';
import { MAX_RAW_OUTPUT_BYTES, SCANNER_TOOLS } from '#shared/scans/scanners.ts';
import type { Platform } from '../image/oci-types.ts';
import type { RegistryOptions } from '../image/registry/registry-image.ts';
import { scannerAdapters } from './index.ts';
import { DEFAULT_LOCAL_COPY_MAX_BYTES, LocalImageCopy } from './local-image-copy.ts';
import { parseTarget, type ImageTarget, type ScannerAdapter, type ScannerOutput } from './scanner-adapter.ts';

export interface ScannerRun {
  scanner: EnvelopeScanner;
  output?: ScannerOutput;
  /** The tool's JSON as it printed it, when it completed; over MAX_RAW_OUTPUT_BYTES only its size is kept. */
  rawOutput?: RawOutput;
}

export type RawOutput = { json: string } | { omitted: 'too-large'; bytes: number };

export function rawOutputOf(json: string): RawOutput {
  const bytes = Buffer.byteLength(json);
  return bytes > MAX_RAW_OUTPUT_BYTES ? { omitted: 'too-large', bytes } : { json };
}

export interface RunScannersOptions {
  /** Where to look for binaries (default: $PATH). */
  path?: string;
  timeoutMs?: number;
  adapters?: Readonly<Record<string, ScannerAdapter>>;
  /**
   * For a registry source: how the engine reached it, so the tools reach it the same way. Under
   * an egress policy no tool dials the registry itself (their own HTTP clients know no policy):
   * each reads the local copy, pulled once through the engine's policy-bound client.
   */
  registry?: Pick<RegistryOptions, 'insecure' | 'credentials' | 'egress' | 'realmHosts'>;
  /** The platform the engine scanned, for the local copy of a multi-platform image. */
  platform?: Platform;
  /** Size limit of the local copy (default 16 GiB). */
  localCopyMaxBytes?: number;
  /** Called as each tool starts (progress reporting). */
  onStart?: (name: string) => void;
}

const MAX_OUTPUT = 1024 * 1024 * 1024;

async function findOnPath(binary: string, path = process.env.PATH ?? ''): Promise<string | undefined> {
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

function run(file: string, args: string[], timeoutMs: number, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { maxBuffer: MAX_OUTPUT, timeout: timeoutMs, encoding: 'utf8', env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message.split('\n', 1)[0]}${stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`));
      else resolve(stdout);
    });
  });
}

const clip = (message: string): string => message.slice(0, 4096);

async function runOne(adapter: ScannerAdapter, binary: string, target: ImageTarget, timeoutMs: number): Promise<ScannerRun> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  let version: string | undefined;
  const dir = await mkdtemp(join(tmpdir(), `hg-${adapter.name}-`));
  try {
    version = adapter.parseVersion(await run(binary, adapter.versionArgs, timeoutMs)).slice(0, 128);
    const outputFile = join(dir, 'out.json');
    const stdout = await run(binary, adapter.args(target, outputFile), timeoutMs, adapter.env?.(target));
    const text = adapter.writesFile ? await readFile(outputFile, 'utf8') : stdout;
    const output = adapter.parse(JSON.parse(text));
    return {
      scanner: { name: adapter.name, ...(version ? { version } : {}), status: 'COMPLETED', durationMs: elapsed() },
      output,
      rawOutput: rawOutputOf(text),
    };
  } catch (error) {
    return {
      scanner: {
        name: adapter.name,
        ...(version ? { version } : {}),
        status: 'FAILED',
        durationMs: elapsed(),
        error: clip(error instanceof Error ? error.message : String(error)),
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One entry per requested external scanner, in the order asked; "harborguard" is the caller's own engine. */
export async function runScanners(names: readonly string[], source: string, options: RunScannersOptions = {}): Promise<ScannerRun[]> {
  const adapters: Readonly<Record<string, ScannerAdapter>> = options.adapters ?? scannerAdapters;
  const target = parseTarget(source, options.registry);
  const copy = new LocalImageCopy(source, {
    ...options.registry,
    ...(options.platform ? { platform: options.platform } : {}),
    maxBytes: options.localCopyMaxBytes ?? DEFAULT_LOCAL_COPY_MAX_BYTES,
  });
  const runs: ScannerRun[] = [];
  try {
    for (const name of [...new Set(names)].filter((n) => n !== 'harborguard')) {
      const adapter = Object.hasOwn(adapters, name) ? adapters[name] : undefined;
      if (!adapter) {
        runs.push({
          scanner: { name: name.slice(0, 64), status: 'UNAVAILABLE', error: `unknown scanner (known: harborguard, ${Object.keys(adapters).join(', ')})` },
        });
        continue;
      }
      const tool = SCANNER_TOOLS[adapter.name].binary;
      const binary = await findOnPath(tool, options.path);
      if (!binary) {
        runs.push({ scanner: { name, status: 'UNAVAILABLE', error: `${tool} is not installed in this runtime (not found on PATH)` } });
        continue;
      }
      options.onStart?.(name);
      const toolTarget = await targetFor(adapter, target, copy, Boolean(options.registry?.egress));
      // One at a time: the tools are each memory- and CPU-hungry on a small task.
      runs.push(
        'failed' in toolTarget
          ? { scanner: { name, status: 'FAILED', durationMs: toolTarget.durationMs, error: clip(toolTarget.failed) } }
          : await runOne(adapter, binary, toolTarget, options.timeoutMs ?? 15 * 60_000),
      );
    }
  } finally {
    await copy.remove();
  }
  return runs;
}

/** The image as the tool reads it: as given, or the local copy (a failed copy fails the tool with its reason). */
async function targetFor(
  adapter: ScannerAdapter,
  target: ImageTarget,
  copy: LocalImageCopy,
  egressBound: boolean,
): Promise<ImageTarget | { failed: string; durationMs: number }> {
  const readsItself = !adapter.reads || adapter.reads.includes(target.kind);
  if (readsItself && !(egressBound && target.kind === 'registry')) return target;
  const started = performance.now();
  try {
    return { kind: 'docker-archive', location: await copy.path() };
  } catch (error) {
    return {
      failed: `could not copy the image to a local docker-archive for ${SCANNER_TOOLS[adapter.name].binary}: ${error instanceof Error ? error.message : String(error)}`,
      durationMs: Math.round(performance.now() - started),
    };
  }
}
