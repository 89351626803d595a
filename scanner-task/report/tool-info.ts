// Name and version of this tool, as every report states it (read once from the package manifest).
import { readFileSync } from 'node:fs';

export const TOOL_NAME = 'harborguard';
export const TOOL_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
