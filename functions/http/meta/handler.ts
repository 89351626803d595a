// Route group: what anyone may read without a credential: liveness and the API's description.
// A function that touches nothing (infra/route-access.ts): its routes are public, so it never
// builds the adapters, and reads no table and no secret.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as z from '#shared/validation.ts';
import { TOOL_VERSION } from '#shared/sbom/tool-info.ts';
import { json } from '../http-response.ts';
import { httpHandler, type PublicRoute } from '../route.ts';

const tags = ['Meta'] as const;

/**
 * Generated on the first request: the generator reads ROUTE_GROUPS, which lists this group, so a
 * static import would be circular; and no other group's function ever loads it.
 */
async function openApiResponse(event: APIGatewayProxyEvent) {
  const { documentResponse } = await import('../openapi/served-document.ts');
  return documentResponse(event);
}

export const routes: PublicRoute[] = [
  {
    method: 'GET',
    resource: '/api/health',
    access: { public: true },
    doc: {
      summary: 'Liveness',
      description:
        'That the API answers, and its version. A liveness answer: it calls no table or other service, so it costs nothing and says nothing of them.',
      tags,
      responses: { 200: { description: 'Up', schema: z.object({ status: z.literal('ok'), version: z.string() }) } },
    },
    async handle() {
      return json(200, { status: 'ok', version: TOOL_VERSION });
    },
  },
  {
    method: 'GET',
    resource: '/api/openapi.json',
    access: { public: true },
    doc: {
      summary: 'This API, as an OpenAPI 3.1 document',
      description: 'Generated from the schemas the routes validate with. Send If-None-Match with its ETag to revalidate (304).',
      tags,
      responses: { 200: { description: 'The document', schema: z.looseObject({ openapi: z.literal('3.1.0') }) } },
    },
    async handle({ event }) {
      return openApiResponse(event);
    },
  },
];

export const handler = httpHandler(routes);
