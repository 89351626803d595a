// os-release(5): shell-style KEY=value lines, values optionally quoted.
import type { OsInfo } from '#shared/packages/package.ts';

export function parseOsRelease(text: string): OsInfo | undefined {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2]!.trim();
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1).replace(/\\(["'$`\\])/g, '$1');
    fields[match[1]!] = value;
  }
  if (!fields.ID) return undefined;
  return {
    id: fields.ID.toLowerCase(),
    ...(fields.VERSION_ID ? { versionId: fields.VERSION_ID } : {}),
    ...(fields.PRETTY_NAME ? { prettyName: fields.PRETTY_NAME } : {}),
    ...(fields.VERSION_CODENAME ? { versionCodename: fields.VERSION_CODENAME } : {}),
  };
}
