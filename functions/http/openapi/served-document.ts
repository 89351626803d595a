// GET /api/openapi.json: the document, generated once per container and answered with an ETag,
// so that clients and caches revalidate it for a 304 instead of fetching it again.
import { createHash } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { TOOL_VERSION } from '#shared/sbom/tool-info.ts';
import { header } from '../http-request.ts';
import { ROUTE_GROUPS } from '../route-groups.ts';
import { openApiDocument } from './openapi-document.ts';
import { webhookPathItems } from './webhook-events.ts';

let served: { body: string; etag: string } | undefined;

function document() {
  if (!served) {
    const body = JSON.stringify(openApiDocument(ROUTE_GROUPS, { version: TOOL_VERSION, webhooks: webhookPathItems() }));
    // Weak: the same document may go out gzipped or not (response-compression.ts).
    served = { body, etag: `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
  }
  return served;
}

export function documentResponse(event: APIGatewayProxyEvent): APIGatewayProxyResult {
  const { body, etag } = document();
  const headers = { ETag: etag, 'Cache-Control': 'public, max-age=300' };
  const wanted = header(event, 'if-none-match');
  if (wanted !== undefined && wanted.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')) return { statusCode: 304, headers, body: '' };
  return { statusCode: 200, headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers }, body };
}
