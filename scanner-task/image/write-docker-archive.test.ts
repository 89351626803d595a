// Member headers of the written archive, read back by the engine's own tar header decoder (the
// registry round trip in scanners/local-image-copy.test.ts covers whole archives).
import { describe, expect, it } from 'vitest';
import { decodeTarHeader } from './tar-header.ts';
import { fileHeader } from './write-docker-archive.ts';

describe('docker-archive member headers', () => {
  it('write sizes in octal, and from 8 GiB on in base-256, with a valid checksum', () => {
    for (const size of [0, 511, 8 ** 11 - 1, 8 ** 11, 9 * 1024 ** 3, 2 ** 40 + 3]) {
      expect(decodeTarHeader(fileHeader(`${'a'.repeat(64)}.tar`, size))).toEqual({
        flag: '0',
        type: 'file',
        name: `${'a'.repeat(64)}.tar`,
        size,
        mode: 0o644,
        linkname: '',
      });
    }
  });
});
