import { describe, expect, it } from 'vitest';
import { ImageNotFoundError } from '#shared/registry/image-errors.ts';
import { parsePlatform, refuseOtherPlatform, selectPlatform } from '../image/platform.ts';
import { failureCodeOf } from './failure-code.ts';

const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

describe('failure codes', () => {
  it('a platform the image does not have is UNSUPPORTED_PLATFORM, from an index or a single-platform image', () => {
    const arm64 = parsePlatform('linux/arm64');
    expect(
      failureCodeOf(
        thrown(() =>
          selectPlatform(
            [
              {
                mediaType: 'application/vnd.oci.image.manifest.v1+json',
                digest: 'sha256:' + '0'.repeat(64),
                size: 1,
                platform: { os: 'linux', architecture: 'amd64' },
              },
            ],
            arm64,
          ),
        ),
      ),
    ).toBe('UNSUPPORTED_PLATFORM');
    expect(failureCodeOf(thrown(() => refuseOtherPlatform({ os: 'linux', architecture: 'amd64' }, arm64)))).toBe('UNSUPPORTED_PLATFORM');
  });

  it('an image that is not there is IMAGE_NOT_FOUND whatever its name says', () => {
    expect(failureCodeOf(new ImageNotFoundError('127.0.0.1:5000/acme/platform-api:1.0: manifest unknown'))).toBe('IMAGE_NOT_FOUND');
  });
});
