// Tar entry names are attacker-controlled: normalise them lexically so that "/", "./" and ".."
// can never name anything outside the image root. Nothing is ever written to disk, so this is
// about reporting the right path and applying whiteouts to the right place.
export function normalizeEntryPath(name: string): string {
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}
