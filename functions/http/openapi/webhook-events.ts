// The document's `webhooks` section: one Path Item per event type in WEBHOOK_EVENT_TYPES, the
// request HarborGuard makes to a receiver — the Standard Webhooks headers and the payload
// `{ type, timestamp, data }` with that event's data schema.
import { EVENT_TYPE_NAMES, WEBHOOK_EVENT_TYPES } from '#domain/webhooks/event-types.ts';
import * as z from '#shared/validation.ts';
import { inputSchema } from './json-schemas.ts';

const SIGNATURE_HEADERS = [
  { name: 'webhook-id', description: 'The delivery: the same on every attempt, so a receiver can drop repeats', schema: { type: 'string' } },
  { name: 'webhook-timestamp', description: 'Unix seconds when this attempt was signed; refuse ones far from now (replays)', schema: { type: 'string' } },
  {
    name: 'webhook-signature',
    description: 'Space-separated `v1,<base64 HMAC-SHA256 of id.timestamp.body>`, one per valid secret (two during a rotation)',
    schema: { type: 'string' },
  },
  { name: 'x-harborguard-signature', description: '`sha256=<hex HMAC-SHA256 of the body>` with the newest secret', schema: { type: 'string' } },
].map((header) => ({ ...header, in: 'header', required: true }));

export function webhookPathItems(): Record<string, unknown> {
  return Object.fromEntries(
    EVENT_TYPE_NAMES.map((type) => {
      const { description, data } = WEBHOOK_EVENT_TYPES[type];
      const payload = z.object({ type: z.literal(type), timestamp: z.iso.datetime({ offset: true }), data });
      return [
        type,
        {
          post: {
            summary: type,
            description: `${description} Signed as docs/WEBHOOKS.md describes; answer 2xx within 10 s, or the delivery is retried.`,
            operationId: `webhook${type.replace(/(^|\.)(\w)/g, (_, _dot: string, c: string) => c.toUpperCase())}`,
            tags: ['Webhooks'],
            parameters: SIGNATURE_HEADERS,
            requestBody: { required: true, content: { 'application/json': { schema: inputSchema(payload) } } },
            responses: { '2XX': { description: 'Received; any other answer, or none within 10 s, is a failed attempt' } },
          },
        },
      ];
    }),
  );
}
