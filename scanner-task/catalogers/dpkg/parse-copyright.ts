// Licences of a Debian package from /usr/share/doc/<package>/copyright: the License: fields of
// machine-readable (DEP-5) files, else references to /usr/share/common-licenses/<name>.
const COMMON_LICENSE = /\/usr\/share\/common-licenses\/([A-Za-z0-9.+-]+)/g;

export function parseCopyright(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(/^License:[ \t]*(\S[^\n]*)$/gm)) {
    const value = match[1]!.trim();
    // A stand-alone licence paragraph repeats names already listed; long values are prose, not names.
    if (value.length > 0 && value.length <= 100) found.add(value);
  }
  if (found.size === 0) {
    for (const match of text.matchAll(COMMON_LICENSE)) found.add(match[1]!.replace(/\.$/, ''));
  }
  return [...found];
}
