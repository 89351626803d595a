// Go binaries: executables are streamed past a search for the build-info header, so no binary is ever
// held in memory; only the few KB after the header are kept.
import type { Cataloger, StreamScanner } from '../cataloger.ts';
import { goPackages } from './package.ts';
import { BUILDINFO_MAGIC, parseBuildInfo } from './parse-buildinfo.ts';

const ELF = Buffer.from('\x7fELF', 'latin1');
const KEEP_AFTER_MAGIC = 256 * 1024;
const SHARED_LIBRARY = /\.so(\.[0-9.]+)?$/;

function buildInfoScanner(): StreamScanner {
  let head = Buffer.alloc(0);
  let skip = false;
  let tail = Buffer.alloc(0);
  let captured: Buffer[] | undefined;
  let capturedBytes = 0;
  return {
    write(chunk) {
      if (skip) return;
      if (head.length < ELF.length) {
        // Only ELF executables (the images' platform); scripts and other formats are skipped at once.
        head = Buffer.concat([head, chunk.subarray(0, ELF.length - head.length)]);
        if (!ELF.subarray(0, head.length).equals(head)) {
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
      // A header split across two chunks: look at the seam (the previous chunk's last bytes + this one's first).
      const seam = tail.length > 0 ? Buffer.concat([tail, chunk.subarray(0, BUILDINFO_MAGIC.length - 1)]).indexOf(BUILDINFO_MAGIC) : -1;
      if (seam !== -1) {
        captured = [tail.subarray(seam), chunk];
        capturedBytes = tail.length - seam + chunk.length;
        return;
      }
      const at = chunk.indexOf(BUILDINFO_MAGIC);
      if (at !== -1) {
        captured = [chunk.subarray(at)];
        capturedBytes = chunk.length - at;
        return;
      }
      const keep = BUILDINFO_MAGIC.length - 1;
      tail = Buffer.from((chunk.length >= keep ? chunk : Buffer.concat([tail, chunk])).subarray(-keep));
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
  packageTypes: ['golang'],
  version: 1,
  maxBytes: Number.MAX_SAFE_INTEGER,
  // Executables only (any x bit), and not tiny ones: a Go binary is at least ~1 MB. Shared libraries
  // carry the x bit too and are most of an OS layer's ELF bytes, but Go programs are not built as them.
  required: ({ path, mode, size }) => (mode & 0o111) !== 0 && size > 64 * 1024 && !SHARED_LIBRARY.test(path),
  scan: buildInfoScanner,
};
