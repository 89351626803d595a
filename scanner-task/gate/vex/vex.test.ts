import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadVexFiles } from './vex.ts';

const fixture = (name: string) => join(import.meta.dirname, '..', 'testdata', name);

describe('loadVexFiles', () => {
  it('reads each document in its format, statements in the order given', () => {
    const statements = loadVexFiles([fixture('openvex-later-statement-wins.json'), fixture('cyclonedx-vex-purl-refs.json')]);
    expect(statements.map((s) => s.source)).toEqual([
      ...[0, 1, 2, 3].map((i) => `${relative(process.cwd(), fixture('openvex-later-statement-wins.json'))}#${i}`),
      ...[0, 1].map((i) => `${relative(process.cwd(), fixture('cyclonedx-vex-purl-refs.json'))}#${i}`),
    ]);
  });

  it('stops at the first document it cannot use, naming it', () => {
    expect(() => loadVexFiles([fixture('openvex-wolfi-git-fixed.json'), fixture('openvex-invalid-status.json')])).toThrow(
      /openvex-invalid-status\.json: \/statements\/0\/status/,
    );
  });
});
