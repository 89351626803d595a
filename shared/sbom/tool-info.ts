// Name and version of this tool, as every report states it (from the package manifest; a JSON
// import so that bundles carry it inline).
import manifest from '../../package.json' with { type: 'json' };

export const TOOL_NAME = 'harborguard';
export const TOOL_VERSION: string = manifest.version;
