// Gzips JSON responses for clients that accept it: a scan with thousands of findings and
// packages then fits well inside Lambda's 6 MB response limit. Small bodies are left alone.
import { gzipSync } from 'node:zlib';
import type middy from '@middy/core';
import { header } from '../http-request.ts';
import type { HttpRequest } from '../route.ts';

const MIN_BYTES = 1024;

export function responseCompression(): middy.MiddlewareObj {
  const compress = (request: middy.Request) => {
    const { event, response } = request as HttpRequest;
    if (!response || response.isBase64Encoded || response.body.length < MIN_BYTES) return;
    const accepted = (header(event, 'accept-encoding') ?? '').split(',').some((part) => /^\s*gzip\s*(;\s*q=(?!0(\.0*)?\s*$)[0-9.]+)?\s*$/i.test(part));
    if (!accepted) return;
    request.response = {
      ...response,
      headers: { ...response.headers, 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' },
      body: gzipSync(response.body).toString('base64'),
      isBase64Encoded: true,
    };
  };
  return { after: compress, onError: compress };
}
