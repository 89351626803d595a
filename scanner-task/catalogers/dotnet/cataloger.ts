// .NET applications: NuGet packages from *.deps.json.
import type { Cataloger } from '../cataloger.ts';
import { parseDepsJson } from './parse-deps-json.ts';

export const dotnetCataloger: Cataloger = {
  name: 'dotnet',
  packageTypes: ['nuget'],
  version: 1,
  maxBytes: 16 * 1024 * 1024,
  required: ({ path }) => path.endsWith('.deps.json'),
  parse: ({ bytes }) => ({ packages: parseDepsJson(bytes) }),
};
