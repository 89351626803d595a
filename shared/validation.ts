// The one zod import of the code base: `import * as z from './validation.ts'`. zod/mini is
// tree-shakable, so every Lambda bundle and the scanner carry a few dozen KB of it instead of the
// ~450 KB classic API, which dominated cold starts (docs/PERFORMANCE.md, Lambda bundles).
// English messages are configured once here so that error bodies read the same everywhere
// ("Too big: expected string to have <=100 characters").
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
