// Which registries a scan may reach over plain HTTP: loopback ones, as Docker allows for
// 127.0.0.0/8 and localhost, and those the organisation set `allowPlainHttp` for (the
// dispatcher passes that setting as HG_REGISTRY_PLAIN_HTTP). Even these are tried over HTTPS
// first, as Docker does (registry-client.ts's plainHttpFallback). Every other registry is TLS.
export function plainHttpAllowed(reference: string, allowedByOrganisation = false): boolean {
  if (!reference.includes('/')) return false;
  if (allowedByOrganisation) return true;
  const host = reference.split('/')[0] ?? '';
  const name = host.replace(/:\d+$/, '');
  return name === 'localhost' || /^127(\.\d{1,3}){3}$/.test(name) || name === '[::1]';
}
