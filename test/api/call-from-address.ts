// Calls the API from a chosen loopback source address, so that a test can be two different
// clients as API Gateway's requestContext.identity.sourceIp tells them apart (on Linux all of
// 127.0.0.0/8 is loopback, so 127.0.0.2 is another source on the same machine).
import { request } from 'node:http';
import { checkDocumentedResponse } from '../support/documented-responses.ts';
import { authHeaders, type ApiResponse, type Credential } from '../support/http.ts';

export function callFrom(localAddress: string, baseUrl: string, method: string, path: string, credential: Credential, body?: unknown): Promise<ApiResponse> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      new URL(path, baseUrl),
      { method, localAddress, headers: { ...authHeaders(credential), ...(payload !== undefined ? { 'Content-Type': 'application/json' } : {}) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const headers = new Headers();
          for (const [name, value] of Object.entries(response.headers)) if (typeof value === 'string') headers.set(name, value);
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // Leave non-JSON bodies as text so that a test can show them.
          }
          try {
            checkDocumentedResponse(method, path, response.statusCode ?? 0, parsed);
            resolve({ status: response.statusCode ?? 0, headers, body: parsed });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}
