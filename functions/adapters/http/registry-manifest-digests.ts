// Reading a tag's manifest digest from its registry (ManifestDigests port) with the scanner's
// own client (shared/registry/registry-client.ts): the challenge flow with the stored
// credentials, token realms trusted as a scan trusts them, and every connection through the
// egress policy (checked on the address actually connected to). A HEAD, as `docker pull` does
// first: no manifest body, and Docker Hub does not count it as a pull. Each check is bounded:
// two attempts, token bodies within the client's small-body limit, and one time budget for the
// whole exchange, so that a registry that hangs costs the job seconds, not its timeout.
import type { EgressPolicy } from '#shared/egress/egress-policy.ts';
import { parseImageReference } from '#shared/image-reference/image-reference.ts';
import { RegistryUnreachableError } from '#shared/registry/image-errors.ts';
import { MANIFEST_ACCEPT } from '#shared/registry/media-types.ts';
import { RegistryClient } from '#shared/registry/registry-client.ts';
import type { ManifestDigests, RegistryAccess } from '#domain/watch/registry-check.ts';

/** The whole of one tag's check (challenge, token, HEAD, retries). */
export const CHECK_BUDGET_MS = 15_000;

export class RegistryManifestDigests implements ManifestDigests {
  constructor(
    private readonly egress: EgressPolicy,
    private readonly budgetMs = CHECK_BUDGET_MS,
  ) {}

  async manifestDigest(image: { name: string; tag: string }, access: RegistryAccess): Promise<string> {
    const ref = parseImageReference(`${image.name}:${image.tag}`);
    const client = new RegistryClient(ref.registry, ref.repository, {
      egress: this.egress,
      plainHttpFallback: access.plainHttpFallback,
      realmHosts: access.tokenRealms,
      attempts: 2,
      signal: AbortSignal.timeout(this.budgetMs),
      ...(access.credentials ? { credentials: access.credentials } : {}),
    });
    const response = await client.head(`manifests/${image.tag}`, MANIFEST_ACCEPT);
    const digest = response.headers.get('docker-content-digest');
    // Without the header the digest is not known: a registry that omits it is not checked.
    if (!digest) throw new RegistryUnreachableError(`${ref.registry}/${ref.repository}: the registry sent no Docker-Content-Digest for ${image.tag}`);
    return digest;
  }
}
