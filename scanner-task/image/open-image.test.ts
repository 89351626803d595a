import { describe, expect, it } from 'vitest';
import { failureCodeOf } from '../task/failure-code.ts';
import { ImageSourceError } from '#shared/registry/image-errors.ts';
import { openImage } from './open-image.ts';

describe('openImage', () => {
  it.each(['registry.example.com/app@sha256:abc', 'Acme/api', 'oci:'])('refuses %s as an invalid image, before any connection', async (source) => {
    const error: unknown = await openImage(source).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ImageSourceError);
    expect(failureCodeOf(error)).toBe('INVALID_IMAGE');
  });
});
