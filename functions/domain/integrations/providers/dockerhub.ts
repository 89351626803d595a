// Docker Hub: a repository's webhook posts {"callback_url","push_data":{"pushed_at","pusher","tag"},
// "repository":{"repo_name":"acme/api","namespace","name",…}} once per pushed tag; official images are
// named "library/nginx" (or, in older payloads, "nginx"). It fires on pushes only, names no digest and
// carries no delivery id. Docker Hub's webhook form takes a name and a URL, nothing else: no signature,
// no headers. So the secret rides in the URL, as `?token=<secret>`.
import * as z from '#shared/validation.ts';
import { bodyEventId, fields, ignored, jsonBody, pushedImage, sameSecret, validated } from './provider.ts';
import type { RegistryProvider } from './provider.ts';

const payload = z.looseObject({
  push_data: z.looseObject({ tag: z.optional(z.nullable(z.union([z.literal(''), fields.tag]))) }),
  repository: z.looseObject({ repo_name: fields.repository }),
});

export const dockerhubProvider: RegistryProvider = {
  kind: 'dockerhub',
  title: 'Docker Hub',
  authentication: 'The query parameter `?token=<secret>` on the hook URL: Docker Hub webhooks can neither sign nor send headers.',
  authenticate: (request, secret) => sameSecret(request.query.token, secret),
  parse: (request) => {
    const { push_data, repository } = validated(payload, jsonBody(request.body), 'a Docker Hub webhook');
    if (!push_data.tag) return ignored('The Docker Hub push names no tag');
    const image = pushedImage('repository', { host: 'docker.io', repository: repository.repo_name, tag: push_data.tag, digest: null });
    return { kind: 'push', eventId: bodyEventId(request.body), images: [image] };
  },
};
