// Small HTTP client helpers for API tests. Every answer of a documented route is checked
// against its OpenAPI description (documented-responses.ts): a mismatch fails the calling test.
import { checkDocumentedResponse } from './documented-responses.ts';

export type Credential = { kind: 'none' } | { kind: 'x-api-key'; value: string } | { kind: 'bearer'; value: string } | { kind: 'cookie'; value: string };

/** The credential that sends `value` as an X-API-Key header. */
export const apiKey = (value: string): Credential => ({ kind: 'x-api-key', value });

export function authHeaders(credential: Credential): Record<string, string> {
  switch (credential.kind) {
    case 'none':
      return {};
    case 'x-api-key':
      return { 'X-API-Key': credential.value };
    case 'bearer':
      return { Authorization: `Bearer ${credential.value}` };
    case 'cookie':
      return { Cookie: `next-auth.session-token=${credential.value}` };
  }
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any;
}

export async function call(
  baseUrl: string,
  method: string,
  path: string,
  credential: Credential,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<ApiResponse> {
  const response = await fetch(baseUrl + path, {
    method,
    headers: { ...authHeaders(credential), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...extraHeaders },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Leave non-JSON bodies as text so that a test can show them.
  }
  checkDocumentedResponse(method, path, response.status, parsed);
  return { status: response.status, headers: response.headers, body: parsed };
}
