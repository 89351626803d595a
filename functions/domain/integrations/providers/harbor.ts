// Harbor: a project's webhook posts {"type":"PUSH_ARTIFACT","occur_at","operator","event_data":{
// "resources":[{"digest","tag","resource_url":"harbor.example.com/library/nginx:latest"}],
// "repository":{"name","namespace","repo_full_name","repo_type"}}} in its Default payload format, or the
// same event_data as the `data` of a CloudEvent ({"specversion":"1.0","id","type":"harbor.artifact.pushed",…})
// in its CloudEvents format. Only pushes count; pulls, deletes, scans, quota and replication events are
// passed over. Harbor cannot sign, but sends the webhook's "Auth Header" verbatim as `Authorization`:
// the secret itself, or `Bearer <secret>`, are both accepted.
import { boundedList } from '#shared/envelope/bounded-list.ts';
import { ValidationError } from '#shared/errors.ts';
import * as z from '#shared/validation.ts';
import {
  bearerToken,
  bodyEventId,
  clipped,
  distinctImages,
  fields,
  ignored,
  jsonBody,
  MAX_ITEMS,
  pushedImage,
  quoted,
  sameSecret,
  UNTAGGED,
  validated,
} from './provider.ts';
import type { RegistryProvider } from './provider.ts';

const PUSH_TYPES = ['PUSH_ARTIFACT', 'harbor.artifact.pushed'];

const header = z.looseObject({ type: fields.text(64), specversion: z.optional(fields.text(16)), id: z.optional(fields.eventId) });
const eventData = z.looseObject({
  resources: boundedList(
    z.looseObject({
      digest: z.optional(z.union([z.literal(''), fields.digest])),
      tag: z.optional(z.union([z.literal(''), fields.tag])),
      resource_url: fields.text(1024),
    }),
    MAX_ITEMS,
  ),
  repository: z.looseObject({ repo_full_name: fields.repository }),
});

/** resource_url is `<host>/<repo_full_name>:<tag>` (or `@<digest>`): the host is what precedes the repository. */
function hostOf(url: string, repository: string, at: string): string {
  const slash = url.indexOf('/');
  const rest = url.slice(slash + 1);
  if (slash > 0 && (rest.startsWith(`${repository}:`) || rest.startsWith(`${repository}@`))) return url.slice(0, slash);
  throw new ValidationError('A Harbor resource_url names another repository than the event', [
    { path: `${at}.resource_url`, message: `must be <host>/${clipped(repository, 64)}:<tag>` },
  ]);
}

export const harborProvider: RegistryProvider = {
  kind: 'harbor',
  title: 'Harbor',
  authentication: 'The header `Authorization: <secret>` (or `Bearer <secret>`): the webhook’s Auth Header, which Harbor sends verbatim.',
  authenticate: (request, secret) => {
    const given = request.headers.authorization;
    const verbatim = sameSecret(given, secret);
    const bearer = sameSecret(bearerToken(given), secret);
    return verbatim || bearer;
  },
  parse: (request) => {
    const body = jsonBody(request.body);
    const { type, specversion, id } = validated(header, body, 'a Harbor webhook event');
    if (!PUSH_TYPES.includes(type)) return ignored(`Harbor ${quoted(type)} events start no scan`);
    const cloudEvent = specversion !== undefined;
    const at = cloudEvent ? 'data' : 'event_data';
    const data = validated(eventData, (body as Record<string, unknown>)[at], 'a Harbor push event', at);
    const repository = data.repository.repo_full_name;
    const images = data.resources.flatMap((resource, i) => {
      if (!resource.tag) return [];
      return [
        pushedImage(`${at}.resources[${i}]`, {
          host: hostOf(resource.resource_url, repository, `${at}.resources[${i}]`),
          repository,
          tag: resource.tag,
          digest: resource.digest || null,
        }),
      ];
    });
    if (images.length === 0) return ignored(`The Harbor push names ${data.resources.length === 0 ? 'no artifact' : `only artifacts ${UNTAGGED}`}`);
    return { kind: 'push', eventId: cloudEvent && id ? id : bodyEventId(request.body), images: distinctImages(images) };
  },
};
