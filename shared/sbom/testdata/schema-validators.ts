// Test helper: the official JSON schemas of both SBOM formats, and of SARIF 2.1.0 (the CI gate's code
// scanning report), as Ajv validators. CycloneDX 1.6's ship with its library; SPDX 2.3's is a copy of
// spdx/spdx-spec's (JSON Schema 2019-09); SARIF's a copy of oasis-tcs/sarif-spec's errata 01 (draft-04).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import ajvDraft04 from 'ajv-draft-04';
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

export function sarif210Validator(): ValidateFunction {
  // Ajv's own dialects begin at draft-06; SARIF's schema is draft-04 (`id`, boolean exclusiveMinimum).
  // The package is CommonJS: its class is both the module and its `default`, which is what tsc sees.
  const ajv = new ajvDraft04.default({ strict: false, allErrors: true, logger: false });
  (addFormats as unknown as (a: typeof ajv) => void)(ajv);
  return ajv.compile(loadJson(join(import.meta.dirname, 'sarif-2.1.0.schema.json')));
}
