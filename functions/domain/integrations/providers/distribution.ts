// CNCF Distribution (the `registry` image, Debian's docker-registry): the registry posts an envelope
// of events, {"events":[{id, action, target:{mediaType, digest, repository, url, tag}, request:{host}}]},
// media type application/vnd.docker.distribution.events.v1+json (v2+json in newer releases), for every
// manifest and blob pushed, pulled, mounted or deleted. A push of an image is the push of its manifest
// (or index), tagged; the layers' pushes and everything else are passed over. The registry cannot sign
// its notifications, but each endpoint of its `notifications` config sends the headers it is given:
// `Authorization: Bearer <secret>` there is what this provider checks.
import { boundedList } from '#shared/envelope/bounded-list.ts';
import { ValidationError } from '#shared/errors.ts';
import * as z from '#shared/validation.ts';
import {
  bearerToken,
  combinedEventId,
  distinctImages,
  fields,
  ignored,
  jsonBody,
  MAX_ITEMS,
  pushedImage,
  sameSecret,
  UNTAGGED,
  validated,
} from './provider.ts';
import type { ParsedHook, PushedImage, RegistryProvider } from './provider.ts';

/** Manifests and indexes (Docker v2 schema 1 and 2, OCI); anything else an event targets is a blob. */
export const MANIFEST_MEDIA_TYPES: ReadonlySet<string> = new Set([
  'application/vnd.docker.distribution.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
]);

// Every event is read loosely (pulls and deletes carry less); a counted push is then read strictly.
const event = z.looseObject({
  id: fields.eventId,
  action: fields.text(32),
  target: z.looseObject({ mediaType: z.optional(fields.text()) }),
  request: z.optional(z.looseObject({ host: z.optional(fields.text(260)) })),
});
const envelope = z.looseObject({ events: boundedList(event, MAX_ITEMS) });
const pushTarget = z.looseObject({
  mediaType: fields.text(),
  digest: fields.digest,
  repository: fields.repository,
  url: z.optional(fields.text(2048)),
  tag: z.optional(fields.tag),
});

/** What an envelope says: its events' ids and the tagged manifests pushed, or why none counts. */
export function readEnvelope(body: Buffer, what = 'a registry notification envelope'): { ids: string[]; images: PushedImage[]; passedOver: string[] } {
  const { events } = validated(envelope, jsonBody(body), what);
  const images: PushedImage[] = [];
  const passedOver = new Set<string>();
  for (const [i, e] of events.entries()) {
    const mediaType = e.target.mediaType;
    if (e.action !== 'push') passedOver.add(['pull', 'delete', 'mount'].includes(e.action) ? `${e.action}s` : 'other actions');
    else if (mediaType === undefined || !MANIFEST_MEDIA_TYPES.has(mediaType)) passedOver.add('blob pushes');
    else {
      const at = `events[${i}].target`;
      const target = validated(pushTarget, e.target, what, at);
      if (target.tag === undefined) passedOver.add(`manifest pushes ${UNTAGGED}`);
      else
        images.push(
          pushedImage(at, { host: e.request?.host || hostOf(target.url, at), repository: target.repository, tag: target.tag, digest: target.digest }),
        );
    }
  }
  return { ids: events.map((e) => e.id), images: distinctImages(images), passedOver: [...passedOver] };
}

function hostOf(url: string | undefined, at: string): string {
  try {
    if (url) return new URL(url).host;
  } catch {
    // Refused below, as no host at all.
  }
  throw new ValidationError('A push event names no registry host', [{ path: `${at}.url`, message: 'request.host or target.url must name the registry' }]);
}

/** The envelope as a hook: a push of its tagged manifests, else ignored with what it held. */
export function envelopeHook(read: ReturnType<typeof readEnvelope>, eventId?: string): ParsedHook {
  if (read.images.length === 0) {
    return ignored(
      read.ids.length === 0 ? 'The envelope holds no events' : `No tagged manifest push among ${read.ids.length} events (${read.passedOver.join(', ')})`,
    );
  }
  return { kind: 'push', eventId: eventId ?? combinedEventId(read.ids), images: read.images };
}

export const distributionProvider: RegistryProvider = {
  kind: 'distribution',
  title: 'CNCF Distribution (docker-registry)',
  authentication: 'The header `Authorization: Bearer <secret>`, set in the `headers` of the registry’s notification endpoint.',
  authenticate: (request, secret) => sameSecret(bearerToken(request.headers.authorization), secret),
  parse: (request) => envelopeHook(readEnvelope(request.body)),
};
