// GitHub Packages (ghcr.io): a repository's, organisation's or app's webhook posts the
// `registry_package` event (and the older `package` event, same payload under `package`), named by
// `X-GitHub-Event`, with action `published` or `updated`; the package's `package_type` says what it is
// (`container` for ghcr.io, `CONTAINER` in live payloads; npm, maven, … are passed over), and
// `package_version.container_metadata.tag` names the pushed tag and manifest digest. A multi-arch push
// is announced once per manifest: the platform manifests with an empty tag name, passed over. The
// image is ghcr.io/<owner>/<package name>, lower-cased as ghcr.io names it. `ping` answers a new hook.
// GitHub signs the body with the webhook's secret: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256>`;
// `X-GitHub-Delivery` names the delivery, the same on a redelivery.
import { ValidationError } from '#shared/errors.ts';
import * as z from '#shared/validation.ts';
import { bodyEventId, fields, ignored, jsonBody, pushedImage, quoted, signedBody, UNTAGGED, validated } from './provider.ts';
import type { RegistryProvider } from './provider.ts';

const ACTIONS = ['published', 'updated'];

const packageSchema = z.looseObject({
  name: fields.text(255),
  package_type: fields.text(32),
  owner: z.looseObject({ login: fields.text(64) }),
  package_version: z.optional(
    z.nullable(
      z.looseObject({
        container_metadata: z.optional(
          z.nullable(z.looseObject({ tag: z.optional(z.looseObject({ name: z.optional(z.string()), digest: z.optional(z.string()) })) })),
        ),
      }),
    ),
  ),
});
const payloads = {
  registry_package: z.looseObject({ action: fields.text(32), registry_package: packageSchema }),
  package: z.looseObject({ action: fields.text(32), package: packageSchema }),
};
const tagSchema = z.looseObject({ name: z.union([z.literal(''), fields.tag]), digest: fields.digest });

function readPackage(event: 'package' | 'registry_package', body: unknown) {
  const what = `a GitHub ${event} event`;
  if (event === 'package') {
    const { action, package: pkg } = validated(payloads.package, body, what);
    return { action, pkg };
  }
  const { action, registry_package: pkg } = validated(payloads.registry_package, body, what);
  return { action, pkg };
}

export const githubProvider: RegistryProvider = {
  kind: 'github',
  title: 'GitHub Container Registry (ghcr.io)',
  authentication: 'The header `X-Hub-Signature-256: sha256=<HMAC-SHA256 of the body>`: GitHub signs each delivery with the webhook’s secret.',
  authenticate: (request, secret) => signedBody(request.headers['x-hub-signature-256'], request.body, secret),
  parse: (request) => {
    const event = request.headers['x-github-event'];
    if (event === undefined) throw new ValidationError('Not a GitHub webhook delivery', [{ path: 'X-GitHub-Event', message: 'is required' }]);
    const body = jsonBody(request.body);
    if (event === 'ping') return ignored('GitHub ping: the webhook is set up');
    if (event !== 'registry_package' && event !== 'package') return ignored(`GitHub ${quoted(event)} events start no scan`);
    const { action, pkg } = readPackage(event, body);
    if (!ACTIONS.includes(action)) return ignored(`GitHub ${event} ${quoted(action)} events start no scan`);
    if (pkg.package_type.toLowerCase() !== 'container') return ignored(`A ${quoted(pkg.package_type)} package is not a container image`);
    const at = `${event}.package_version.container_metadata.tag`;
    const tag = validated(tagSchema, pkg.package_version?.container_metadata?.tag, `a GitHub ${event} event`, at);
    if (tag.name === '') return ignored(`The container version was pushed ${UNTAGGED}`);
    const repository = validated(fields.repository, `${pkg.owner.login}/${pkg.name}`.toLowerCase(), `a GitHub ${event} event`, `${event}.name`);
    const delivery = request.headers['x-github-delivery'];
    const eventId = delivery === undefined ? bodyEventId(request.body) : validated(fields.eventId, delivery, 'a GitHub delivery', 'X-GitHub-Delivery');
    return { kind: 'push', eventId, images: [pushedImage(at, { host: 'ghcr.io', repository, tag: tag.name, digest: tag.digest })] };
  },
};
