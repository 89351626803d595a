// Which registries a scan may reach over plain HTTP: loopback ones only, as Docker allows for
// 127.0.0.0/8 and localhost. Every other registry is spoken to over TLS.
export function plainHttpAllowed(reference: string): boolean {
  const host = reference.split('/')[0] ?? '';
  if (!reference.includes('/')) return false;
  const name = host.replace(/:\d+$/, '');
  return name === 'localhost' || /^127(\.\d{1,3}){3}$/.test(name) || name === '[::1]';
}
