// Where the code that the stacks deploy lives, from the repository root.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const HTTP_FUNCTIONS_DIR = join(REPO_ROOT, 'functions', 'http');
export const JOB_FUNCTIONS_DIR = join(REPO_ROOT, 'functions', 'jobs');
