// META-INF/MANIFEST.MF: "Key: value" lines, continuation lines start with one space.
export function parseManifest(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  let key = '';
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith(' ') && key) fields.set(key, fields.get(key)! + line.slice(1));
    else {
      const colon = line.indexOf(':');
      // The JAR specification allows 70-byte header names: longer ones (and their continuation
      // lines) are skipped rather than made map keys, which a hostile manifest could make quadratic.
      key = colon > 0 && colon <= 70 ? line.slice(0, colon).trim() : '';
      if (key) fields.set(key, line.slice(colon + 1).trim());
    }
  }
  return fields;
}

/** pom.properties: plain Java properties (key=value, # comments). */
export function parseProperties(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*[#!]/.test(line)) continue;
    const eq = line.indexOf('=');
    if (eq > 0) fields.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return fields;
}
