// Gzips JSON responses for clients that accept it: a scan with thousands of findings and
// packages, or its SBOM, then fits well inside Lambda's 6 MB response limit. Small bodies are
// left alone. A body too large to return uncompressed, to a client that does not accept gzip,
// is answered 406 saying so, rather than failing at the gateway with a bare 502.
import { gzipSync } from 'node:zlib';
import type middy from '@middy/core';
import { header } from '../http-request.ts';
import { errorBody, json } from '../http-response.ts';
import type { HttpRequest } from '../route.ts';

const MIN_BYTES = 1024;
/** Lambda's 6 MB response limit, less room for headers and the proxy response around the body. */
const MAX_UNCOMPRESSED_BYTES = 6 * 1024 * 1024 - 64 * 1024;

export function responseCompression(): middy.MiddlewareObj {
  const compress = (request: middy.Request) => {
    const { event, response } = request as HttpRequest;
    if (!response || response.isBase64Encoded || response.body.length < MIN_BYTES) return;
    const accepted = (header(event, 'accept-encoding') ?? '').split(',').some((part) => /^\s*gzip\s*(;\s*q=(?!0(\.0*)?\s*$)[0-9.]+)?\s*$/i.test(part));
    if (!accepted) {
      const bytes = Buffer.byteLength(response.body);
      if (bytes > MAX_UNCOMPRESSED_BYTES) {
        const message = `This response is ${(bytes / 1e6).toFixed(1)} MB, more than the API returns uncompressed: send Accept-Encoding: gzip (curl --compressed)`;
        request.response = json(406, errorBody('NOT_ACCEPTABLE', message), { Vary: 'Accept-Encoding' });
      }
      return;
    }
    request.response = {
      ...response,
      headers: { ...response.headers, 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' },
      body: gzipSync(response.body).toString('base64'),
      isBase64Encoded: true,
    };
  };
  return { after: compress, onError: compress };
}
