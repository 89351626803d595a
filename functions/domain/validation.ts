// The one zod import of the code base. zod/mini is tree-shakable: every Lambda bundle and the
// scanner carry ~20 KB of it instead of the ~450 KB classic API, which dominated cold starts
// (docs/PERFORMANCE.md, Lambda bundles). English messages are configured once here so that
// error bodies read the same as before ("Too big: expected string to have <=100 characters").
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

z.config(en());

export { z };
