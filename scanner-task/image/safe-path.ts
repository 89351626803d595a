// Tar entry names are attacker-controlled: normalise them lexically so that "/", "./" and ".."
// can never name anything outside the image root. Nothing is ever written to disk, so this is
// about reporting the right path and applying whiteouts to the right place.

/** Anything that is not already a normal relative path: "//", "." or ".." segments, a leading or trailing "/". */
const NOT_NORMAL = /\/\/|(?:^|\/)\.\.?(?:\/|$)|^\/|\/$/;

export function normalizeEntryPath(name: string): string {
  // Nearly every name is normal already, but for a directory's trailing slash: one regex test
  // instead of splitting it into segments (thousands, for a hostile deep path).
  const trimmed = name.endsWith('/') ? name.slice(0, -1) : name;
  if (!NOT_NORMAL.test(trimmed)) return trimmed;
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}
