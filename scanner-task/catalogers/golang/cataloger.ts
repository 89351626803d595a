// Go binaries: executables are streamed past a search for the build-info header, so no binary is ever
// held in memory; only the few KB after the header are kept.
import type { Cataloger, StreamScanner } from '../cataloger.ts';
import { goPackages } from './package.ts';
import { BUILDINFO_MAGIC, parseBuildInfo } from './parse-buildinfo.ts';

const ELF = Buffer.from('\x7fELF', 'latin1');
const KEEP_AFTER_MAGIC = 256 * 1024;

function buildInfoScanner(): StreamScanner {
  let first = true;
  let skip = false;
  let tail = Buffer.alloc(0);
  let captured: Buffer[] | undefined;
  let capturedBytes = 0;
  return {
    write(chunk) {
      if (skip) return;
      if (first) {
        first = false;
        // Only ELF executables (the images' platform); scripts and other formats are skipped at once.
        if (chunk.length < 4 || !chunk.subarray(0, 4).equals(ELF)) {
          skip = true;
          return;
        }
      }
      if (captured) {
        if (capturedBytes < KEEP_AFTER_MAGIC) {
          captured.push(chunk);
          capturedBytes += chunk.length;
        }
        return;
      }
      // Keep the last bytes of the previous chunk so a header split across chunks is still found.
      const window = tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk;
      const at = window.indexOf(BUILDINFO_MAGIC);
      if (at !== -1) {
        captured = [window.subarray(at)];
        capturedBytes = window.length - at;
        return;
      }
      tail = Buffer.from(window.subarray(Math.max(0, window.length - BUILDINFO_MAGIC.length + 1)));
    },
    end() {
      if (!captured) return undefined;
      const info = parseBuildInfo(Buffer.concat(captured).subarray(0, KEEP_AFTER_MAGIC));
      return info ? { packages: goPackages(info) } : undefined;
    },
  };
}

export const goBinaryCataloger: Cataloger = {
  name: 'go-binary',
  version: 1,
  maxBytes: Number.MAX_SAFE_INTEGER,
  // Executables only (any x bit), and not tiny ones: a Go binary is at least ~1 MB.
  required: ({ mode, size }) => (mode & 0o111) !== 0 && size > 64 * 1024,
  scan: buildInfoScanner,
};
