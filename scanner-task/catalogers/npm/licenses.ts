// package.json licence fields come in three historical shapes: "MIT", {type: "MIT"}, [{type: "MIT"}].
export function npmLicenses(manifest: { license?: unknown; licenses?: unknown }): string[] {
  const one = (value: unknown): string | undefined =>
    typeof value === 'string'
      ? value
      : value && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string'
        ? (value as { type: string }).type
        : undefined;
  const list = [manifest.license, ...(Array.isArray(manifest.licenses) ? manifest.licenses : [manifest.licenses])].map(one).filter((l): l is string => !!l);
  return [...new Set(list)];
}
