// Test helper: the official JSON schemas of both SBOM formats as Ajv validators. CycloneDX 1.6's
// ship with its library; SPDX 2.3's is a copy of spdx/spdx-spec's (JSON Schema 2019-09).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';

const require = createRequire(import.meta.url);
const cdxSchemas = join(dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');
const loadJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

// `extra` maps the URL a $ref resolves to onto the schema file that holds it (CycloneDX's bundled
// schemas reference their SNAPSHOT file names, not their own $ids).
function validator(schema: Record<string, unknown>, extra: Record<string, Record<string, unknown>> = {}, draft2019 = false): ValidateFunction {
  const ajv = draft2019 ? new Ajv2019({ strict: false, allErrors: true, logger: false }) : new Ajv({ strict: false, allErrors: true, logger: false });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  for (const [url, { $id: _ignored, ...rest }] of Object.entries(extra)) ajv.addSchema(rest, url);
  return ajv.compile(schema);
}

export function cycloneDx16Validator(): ValidateFunction {
  return validator(
    loadJson(join(cdxSchemas, 'bom-1.6.SNAPSHOT.schema.json')),
    Object.fromEntries(['spdx.SNAPSHOT.schema.json', 'jsf-0.82.SNAPSHOT.schema.json'].map((f) => [`http://cyclonedx.org/schema/${f}`, loadJson(join(cdxSchemas, f))])),
  );
}

export function spdx23Validator(): ValidateFunction {
  return validator(loadJson(join(import.meta.dirname, 'spdx-2.3.schema.json')), {}, true);
}
