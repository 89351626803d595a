// Route group: POST /api/hooks/{integrationId}, where registries announce pushes. No API
// credential: the integration's own secret, presented the way its provider does
// (functions/domain/integrations/providers/), is checked by the domain; unknown integrations
// and wrong secrets are answered alike (401).
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { HOOK_DELIVERIES, receiveHook } from '#domain/integrations/receive-hook.ts';
import type { InboundHookRequest } from '#domain/integrations/providers/provider.ts';
import { PayloadTooLargeError, UnauthorizedError } from '#shared/errors.ts';
import * as z from '#shared/validation.ts';
import { dataOf, idParam } from '../api-schemas.ts';
import { queryParameters } from '../http-request.ts';
import { json } from '../http-response.ts';
import { INTEGRATION_ID } from '../integrations/handler.ts';
import { httpHandler, type SelfVerifiedRoute } from '../route.ts';

/** Far above any provider's notification (a Harbor push of 100 tags is about 40 KB). */
const MAX_BODY_BYTES = 1024 * 1024;

const pushSchema = z.object({
  image: z.string(),
  tag: z.nullable(z.string()),
  outcome: z.enum(['scan-started', 'joined', 'skipped']),
  scanId: z.optional(z.string()),
  reason: z.optional(z.string()),
});
const outcomeSchema = z.object({
  status: z.enum(['accepted', 'duplicate', 'ignored']),
  eventId: z.optional(z.string()),
  reason: z.optional(z.string()),
  pushes: z.optional(z.array(pushSchema)),
});

function inboundRequest(event: APIGatewayProxyEvent): InboundHookRequest {
  const body = event.body ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
  if (body.length > MAX_BODY_BYTES) throw new PayloadTooLargeError(`A hook body is at most ${MAX_BODY_BYTES} bytes`);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined) headers[name.toLowerCase()] = value;
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(queryParameters(event))) if (value !== undefined) query[name] = value;
  return { headers, query, body };
}

export const routes: SelfVerifiedRoute[] = [
  {
    method: 'POST',
    resource: '/api/hooks/{integrationId}',
    access: { public: true, verifiedBy: "the integration's secret, presented as its provider does (the integration's `authentication`)." },
    doc: {
      summary: 'Receive a registry push notification',
      description:
        'The body is the provider’s own notification. Each pushed image that passes the integration’s filters starts a scan, unless the same image was pushed within its de-duplication window: then its tag joins that scan. A redelivered notification changes nothing (`duplicate`).',
      tags: ['Integrations'],
      params: z.object({ integrationId: idParam(INTEGRATION_ID, 'The integration, as its `hookUrl` names it') }),
      responses: {
        200: { description: 'Already received (a redelivery)', schema: dataOf(outcomeSchema) },
        202: { description: 'Received: what each pushed image started, or why nothing did', schema: dataOf(outcomeSchema) },
      },
      refusals: {
        400: 'The body is not a notification this provider sends',
        401: 'Unknown integration, or the secret is missing or wrong',
        413: `The body is larger than ${MAX_BODY_BYTES} bytes`,
        429: `more than ${HOOK_DELIVERIES.limit} notifications per ${HOOK_DELIVERIES.windowSeconds} s for this integration`,
      },
    },
    async handle({ event, deps }) {
      const integrationId = event.pathParameters?.integrationId ?? '';
      if (!INTEGRATION_ID.test(integrationId)) throw new UnauthorizedError('The hook request is not authenticated for this integration');
      const outcome = await receiveHook(integrationId, inboundRequest(event), deps);
      return json(outcome.status === 'duplicate' ? 200 : 202, { data: outcome });
    },
  },
];

export const handler = httpHandler(routes);
