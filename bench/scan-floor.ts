// The decode floor: stream-gunzip every layer (all at once) and walk the tar headers without
// reading any file body. Nothing a one-pass engine does can be faster than this.
// Run: node --import tsx bench/scan-floor.ts <layer.tar.gz>...   (prints JSON; bench:scan runs it bundled)
import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

/** Counts tar entries by skipping from header to header; bodies are never copied. */
function headerWalker(): Writable & { entries: number } {
  let skip = 0;
  let header = Buffer.alloc(0);
  const walker = new Writable({
    write(chunk: Buffer, _encoding, done) {
      let at = 0;
      while (at < chunk.length) {
        if (skip > 0) {
          const n = Math.min(skip, chunk.length - at);
          skip -= n;
          at += n;
          continue;
        }
        const need = 512 - header.length;
        header = Buffer.concat([header, chunk.subarray(at, at + need)]);
        at += Math.min(need, chunk.length - at);
        if (header.length < 512) break;
        const size = parseInt(header.toString('latin1', 124, 136).replace(/\0.*$/s, '').trim() || '0', 8);
        if (header[0] !== 0) walker.entries++;
        skip = Math.ceil(size / 512) * 512;
        header = Buffer.alloc(0);
      }
      done();
    },
  }) as Writable & { entries: number };
  walker.entries = 0;
  return walker;
}

export async function decodeFloor(layers: string[]): Promise<{ ms: number; entries: number }> {
  const started = performance.now();
  const walkers = layers.map(() => headerWalker());
  await Promise.all(
    layers.map((layer, i) => pipeline(createReadStream(layer, { highWaterMark: 1024 * 1024 }), createGunzip({ chunkSize: 256 * 1024 }), walkers[i]!)),
  );
  return { ms: performance.now() - started, entries: walkers.reduce((sum, w) => sum + w.entries, 0) };
}

if (process.argv[1] === import.meta.filename || process.argv[1]?.endsWith('scan-floor.mjs')) {
  const result = await decodeFloor(process.argv.slice(2));
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ ...result, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKb: process.resourceUsage().maxRSS })}\n`);
}
