#!/usr/bin/env node
// npm `bin` shim: runs the TypeScript CLI through tsx so that `npx harborguard` works from a clone.
import { register } from 'tsx/esm/api';
register();
await import('./main.ts');
