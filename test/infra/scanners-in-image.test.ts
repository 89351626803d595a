// One scanner list (shared/scans/scanners.ts), and everything that names scanners agrees with it:
// the image's Dockerfile (build arguments and installed tools), the scanner adapters, and what
// infra offers in the API. The compiler already holds the adapter index and SCANNER_TOOLS to the
// list's keys; this holds what it cannot see.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RAW_OUTPUT_SCANNERS, SCANNER_TOOLS, SCANNERS } from '#shared/scans/scanners.ts';
import { scannerAdapters } from '../../scanner-task/scanners/index.ts';
import { dockerfileArgDefaults, SCANNER_DOCKERFILE, scannersInImage } from '../../infra/scanner-image.ts';

const dockerfile = readFileSync(SCANNER_DOCKERFILE, 'utf8');
const tools = Object.values(SCANNER_TOOLS);

describe('the scanner list', () => {
  it('is what the Dockerfile installs: one `tool <binary> "$<stem>_SHA256"` line per tool, none other', () => {
    const installed = [...dockerfile.matchAll(/^\s*tool (\S+) "\$([A-Z0-9_]+)_SHA256" "([^"]+)"/gm)].map((m) => ({ binary: m[1], stem: m[2], url: m[3] }));
    expect(installed.map(({ binary, stem }) => ({ binary, stem })).sort((a, b) => a.binary!.localeCompare(b.binary!))).toEqual(
      tools.map(({ binary, stem }) => ({ binary, stem })).sort((a, b) => a.binary.localeCompare(b.binary)),
    );
    // The artifact is the pinned version's: a URL that ignores <stem>_VERSION would download whatever is newest.
    for (const { stem, url } of installed) expect(url).toContain(`\${${stem}_VERSION}`);
  });

  it('has a version and a checksum build argument for every tool, and the Dockerfile none for a tool it does not list', () => {
    const args = dockerfile.match(/^ARG ([A-Z0-9_]+)_(?:VERSION|SHA256)\b/gm)!.map((line) => line.slice(4));
    expect(args.sort()).toEqual(tools.flatMap(({ stem }) => [`${stem}_SHA256`, `${stem}_VERSION`]).sort());
    for (const { stem } of tools) expect(dockerfileArgDefaults(dockerfile)[`${stem}_VERSION`]).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('has one adapter per external scanner, under its own name (which picks the binary it runs)', () => {
    expect(Object.keys(scannerAdapters).sort()).toEqual([...RAW_OUTPUT_SCANNERS].sort());
    for (const [name, adapter] of Object.entries(scannerAdapters)) expect(adapter.name).toBe(name);
  });
});

describe('scannersInImage', () => {
  it('offers what the Dockerfile builds: dockle only once its checksum is given, every other scanner by default', () => {
    expect(scannersInImage({})).toEqual(SCANNERS.filter((name) => name !== 'dockle'));
    expect(scannersInImage({ DOCKLE_SHA256: '' })).not.toContain('dockle');
    expect(scannersInImage({ DOCKLE_SHA256: 'ab'.repeat(32) })).toEqual([...SCANNERS]);
  });

  it('leaves out a tool whose checksum the deployment empties, as the Dockerfile then builds without it', () => {
    expect(scannersInImage({ GRYPE_SHA256: '' })).not.toContain('grype');
    // A Dockerfile that pinned dockle would offer it without any deployment setting.
    expect(scannersInImage({}, dockerfile.replace(/^ARG DOCKLE_SHA256=$/m, `ARG DOCKLE_SHA256=${'cd'.repeat(32)}`))).toContain('dockle');
  });
});
