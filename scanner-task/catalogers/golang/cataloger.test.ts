import { describe, expect, it } from 'vitest';
import { goBinaryCataloger } from './cataloger.ts';
import { BUILDINFO_MAGIC } from './parse-buildinfo.ts';

const varint = (n: number): Buffer => {
  const bytes: number[] = [];
  do {
    bytes.push((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
    n >>>= 7;
  } while (n > 0);
  return Buffer.from(bytes);
};

// A minimal ELF-looking binary carrying Go >= 1.18 build info, laid out as cmd/link writes it.
function fakeGoBinary(modinfo: string): Buffer {
  const header = Buffer.alloc(32);
  BUILDINFO_MAGIC.copy(header);
  header[14] = 8;
  header[15] = 2;
  const framed = Buffer.concat([Buffer.alloc(16, 0x30), Buffer.from(modinfo), Buffer.alloc(16, 0x31)]);
  const version = Buffer.from('go1.22.1');
  return Buffer.concat([
    Buffer.from('\x7fELF', 'latin1'),
    Buffer.alloc(5000),
    header,
    varint(version.length),
    version,
    varint(framed.length),
    framed,
    Buffer.alloc(3000),
  ]);
}

const MODINFO =
  'path\texample.com/app\nmod\texample.com/app\tv1.0.0\th1:x=\ndep\tgolang.org/x/net\tv0.20.0\th1:y=\ndep\tgithub.com/a/b\tv1.1.0\th1:z=\n=>\tgithub.com/fork/b\tv1.1.1\th1:w=\nbuild\t-compiler=gc\n';

function scan(binary: Buffer, chunkSize: number) {
  const scanner = goBinaryCataloger.scan!({ path: 'app', size: binary.length, mode: 0o755, type: 'file' });
  for (let at = 0; at < binary.length; at += chunkSize) scanner.write(binary.subarray(at, at + chunkSize));
  return scanner.end()?.packages?.map((p) => `${p.name}@${p.version} ${p.purl}`);
}

describe('go-binary cataloger', () => {
  it('finds build info wherever the chunk boundaries fall', () => {
    const binary = fakeGoBinary(MODINFO);
    const expected = [
      'stdlib@v1.22.1 pkg:golang/stdlib@v1.22.1',
      'example.com/app@v1.0.0 pkg:golang/example.com/app@v1.0.0',
      'golang.org/x/net@v0.20.0 pkg:golang/golang.org/x/net@v0.20.0',
      'github.com/fork/b@v1.1.1 pkg:golang/github.com/fork/b@v1.1.1',
    ];
    for (const size of [1, 7, 13, 14, 15, 64, 5003, 5010, binary.length]) expect(scan(binary, size), `chunks of ${size}`).toEqual(expected);
  });

  it('ignores non-ELF executables and ELF files without build info', () => {
    expect(scan(Buffer.concat([Buffer.from('#!/bin/sh\n'), BUILDINFO_MAGIC]), 4096)).toBeUndefined();
    expect(scan(Buffer.concat([Buffer.from('\x7fELF', 'latin1'), Buffer.alloc(10000)]), 4096)).toBeUndefined();
    // Pre-1.18 pointer format (flag bit 2 clear): recognised but not decoded.
    const old = fakeGoBinary(MODINFO);
    old[5004 + 15] = 0;
    expect(scan(old, 4096)).toBeUndefined();
  });
});
