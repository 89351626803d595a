// How a package name is spelled in the snapshot index, per ecosystem. The builder and the
// matcher both go through here, so the two sides can never normalise differently.
import type { NameRule } from '../ecosystems/ecosystems.ts';
import { osvEcosystem } from '../ecosystems/ecosystem-of.ts';

// PyPI: case-insensitive, runs of "-", "_", "." equivalent (PEP 503). NuGet ids, Composer names: case-insensitive.
const NORMALISERS: Record<NameRule, ((name: string) => string) | undefined> = {
  exact: undefined,
  lowercase: (name) => name.toLowerCase(),
  pep503: (name) => name.toLowerCase().replace(/[-_.]+/g, '-'),
};

/** How names of an ecosystem are normalised (the ecosystem table's rule), or undefined when they are taken as they are. */
export function nameNormaliser(ecosystem: string): ((name: string) => string) | undefined {
  const rule = osvEcosystem(ecosystem)?.advisories.names;
  return rule ? NORMALISERS[rule] : undefined;
}

// NUL cannot occur in an ecosystem or package name, so the joined key is unambiguous.
export function packageKey(ecosystem: string, name: string): string {
  const normalise = nameNormaliser(ecosystem);
  return `${ecosystem}\0${normalise ? normalise(name) : name}`;
}
