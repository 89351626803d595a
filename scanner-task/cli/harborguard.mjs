#!/usr/bin/env node
// The CLI from source, through tsx: what the tests run, and a clone without a build. Users run
// the bundle instead (`npm run build`: dist/scanner/harborguard.mjs, the package's bin).
import { register } from 'tsx/esm/api';
register();
await import('./main.ts');
