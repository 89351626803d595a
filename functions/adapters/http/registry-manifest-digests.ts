// Reading a tag's manifest digest from its registry (ManifestDigests port) with the scanner's
// own client (shared/registry/registry-client.ts): the challenge flow with the stored
// credentials, token realms trusted as a scan trusts them, and every connection through the
// egress policy. A HEAD, as `docker pull` does first: no manifest body, and Docker Hub does not
// count it as a pull.
import type { EgressPolicy } from '#shared/egress/egress-policy.ts';
import { parseImageReference } from '#shared/image-reference/image-reference.ts';
import { RegistryUnreachableError } from '#shared/registry/image-errors.ts';
import { MANIFEST_ACCEPT } from '#shared/registry/media-types.ts';
import { RegistryClient } from '#shared/registry/registry-client.ts';
import type { ManifestDigests, RegistryAccess } from '#domain/watch/registry-check.ts';

export class RegistryManifestDigests implements ManifestDigests {
  constructor(private readonly egress: EgressPolicy) {}

  async manifestDigest(image: { name: string; tag: string }, access: RegistryAccess): Promise<string> {
    const ref = parseImageReference(`${image.name}:${image.tag}`);
    const client = new RegistryClient(ref.registry, ref.repository, {
      egress: this.egress,
      plainHttpFallback: access.plainHttpFallback,
      realmHosts: access.tokenRealms,
      ...(access.credentials ? { credentials: access.credentials } : {}),
    });
    const response = await client.head(`manifests/${image.tag}`, MANIFEST_ACCEPT);
    const digest = response.headers.get('docker-content-digest');
    // Without the header the digest is not known: a registry that omits it is not checked.
    if (!digest) throw new RegistryUnreachableError(`${ref.registry}/${ref.repository}: the registry sent no Docker-Content-Digest for ${image.tag}`);
    return digest;
  }
}
