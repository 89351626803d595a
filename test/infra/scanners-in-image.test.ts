// The API offers exactly the scanners the scanner image carries (scanner-task/Dockerfile).
import { describe, expect, it } from 'vitest';
import { SCANNERS } from '#shared/scans/scanners.ts';
import { scannersInImage } from '../../infra/settings.ts';

describe('scannersInImage', () => {
  it('leaves dockle out until its checksum is given, and keeps every other scanner', () => {
    expect(scannersInImage({ scannerBuildArgs: {} })).toEqual(SCANNERS.filter((name) => name !== 'dockle'));
    expect(scannersInImage({ scannerBuildArgs: { DOCKLE_SHA256: '' } })).not.toContain('dockle');
    expect(scannersInImage({ scannerBuildArgs: { DOCKLE_SHA256: 'ab'.repeat(32) } })).toEqual([...SCANNERS]);
  });
});
