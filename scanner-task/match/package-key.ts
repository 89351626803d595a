// How a package name is spelled in the snapshot index, per ecosystem. The builder and the
// matcher both go through here, so the two sides can never normalise differently.
const baseOf = (ecosystem: string): string => ecosystem.split(':', 1)[0] ?? '';

// PyPI names are case-insensitive with runs of "-", "_", "." equivalent (PEP 503);
// NuGet ids and Composer names are case-insensitive.
export function normaliseName(ecosystem: string, name: string): string {
  switch (baseOf(ecosystem)) {
    case 'PyPI':
      return name.toLowerCase().replace(/[-_.]+/g, '-');
    case 'NuGet':
    case 'Packagist':
      return name.toLowerCase();
    default:
      return name;
  }
}

// NUL cannot occur in an ecosystem or package name, so the joined key is unambiguous.
export function packageKey(ecosystem: string, name: string): string {
  return `${ecosystem}\0${normaliseName(ecosystem, name)}`;
}
