// How a package name is spelled in the snapshot index, per ecosystem. The builder and the
// matcher both go through here, so the two sides can never normalise differently.
const baseOf = (ecosystem: string): string => ecosystem.split(':', 1)[0] ?? '';

const pypiName = (name: string): string => name.toLowerCase().replace(/[-_.]+/g, '-');
const lowerCase = (name: string): string => name.toLowerCase();

/**
 * How names of an ecosystem are normalised, or undefined when they are taken as they are.
 * PyPI names are case-insensitive with runs of "-", "_", "." equivalent (PEP 503);
 * NuGet ids and Composer names are case-insensitive.
 */
export function nameNormaliser(ecosystem: string): ((name: string) => string) | undefined {
  switch (baseOf(ecosystem)) {
    case 'PyPI':
      return pypiName;
    case 'NuGet':
    case 'Packagist':
      return lowerCase;
    default:
      return undefined;
  }
}

// NUL cannot occur in an ecosystem or package name, so the joined key is unambiguous.
export function packageKey(ecosystem: string, name: string): string {
  const normalise = nameNormaliser(ecosystem);
  return `${ecosystem}\0${normalise ? normalise(name) : name}`;
}
