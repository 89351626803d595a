// Quay (quay.io, Red Hat Quay): a repository notification of the "Push to Repository" event, sent to a
// webhook, posts {"repository":"org/repo","namespace","name","docker_url":"quay.io/org/repo","homepage",
// "updated_tags":["latest",…]}: one image per updated tag, on the host docker_url names, no digest.
// (Old Quay sent updated_tags as {"<tag>":"<image id>"}; both are read.) The same webhook can be chosen
// for Quay's other repository events (builds, vulnerabilities found, mirroring), which name no updated
// tags: passed over. A Quay webhook is a URL and an optional body template, no signature or headers, so
// the secret rides in the URL, as `?token=<secret>`.
import { boundedList } from '#shared/envelope/bounded-list.ts';
import { ValidationError } from '#shared/errors.ts';
import { parseRegistryHost } from '#shared/image-reference/image-reference.ts';
import * as z from '#shared/validation.ts';
import { bodyEventId, distinctImages, fields, ignored, jsonBody, MAX_ITEMS, pushedImage, sameSecret, validated } from './provider.ts';
import type { RegistryProvider } from './provider.ts';

const payload = z.looseObject({
  repository: fields.repository,
  docker_url: fields.text(520),
  updated_tags: z.optional(z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())])),
});
const tags = boundedList(fields.tag, MAX_ITEMS);

export const quayProvider: RegistryProvider = {
  kind: 'quay',
  title: 'Quay',
  authentication: 'The query parameter `?token=<secret>` on the hook URL: Quay webhooks can neither sign nor send headers.',
  authenticate: (request, secret) => sameSecret(request.query.token, secret),
  parse: (request) => {
    const { repository, docker_url, updated_tags } = validated(payload, jsonBody(request.body), 'a Quay repository notification');
    if (updated_tags === undefined) return ignored('A Quay notification that names no updated tags (a build, vulnerability or mirror event) starts no scan');
    const names = validated(tags, Array.isArray(updated_tags) ? updated_tags : Object.keys(updated_tags), 'a Quay push notification', 'updated_tags');
    if (names.length === 0) return ignored('The Quay push updated no tags');
    // docker_url is <host>/<repository>: the host Quay serves the repository from.
    if (!docker_url.endsWith(`/${repository}`)) {
      throw new ValidationError('Not a Quay push notification: docker_url', [{ path: 'docker_url', message: 'must be <host>/<repository>' }]);
    }
    const host = parseRegistryHost(docker_url.slice(0, -repository.length - 1), 'docker_url');
    const images = names.map((tag, i) => pushedImage(`updated_tags[${i}]`, { host, repository, tag, digest: null }));
    return { kind: 'push', eventId: bodyEventId(request.body), images: distinctImages(images) };
  },
};
