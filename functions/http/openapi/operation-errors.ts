// The refusals an operation can answer with, derived from what the route declares rather than
// listed per route: authentication and access from `access`, 404 from path parameters, 400 from
// a query or body, 413/415 from a body, 429 from authentication and the rate limit; only the
// route's own state conflicts come from its `refusals`.
import { AUTHENTICATION_FAILURES } from '#domain/rate-limit/rate-limiter.ts';
import { isPublicRoute, isSelfVerified } from '../access.ts';
import type { AnyRoute } from '../route.ts';

export function operationErrors(route: AnyRoute): Record<string, string> {
  const { doc } = route;
  const errors: Record<string, string> = {};
  if (doc.query || doc.body) errors[400] = `Invalid ${doc.body ? 'body' : 'query'}: VALIDATION_ERROR names each invalid input in \`issues\``;
  if (doc.refusals?.[400]) errors[400] = doc.refusals[400];
  if (doc.refusals?.[401]) errors[401] = doc.refusals[401];
  if (!isPublicRoute(route)) {
    errors[401] = 'No credential, or one that is not valid (unknown, expired, revoked)';
    errors[403] = "The credential's kind or role may not call this";
  }
  const notFound = [
    /\{\w+\}/.test(route.resource) && !isSelfVerified(route.access) ? 'Nothing of that id in the caller’s organisation' : undefined,
    doc.refusals?.[404],
  ].filter(Boolean);
  if (notFound.length > 0) errors[404] = notFound.join('; ');
  if (doc.large) errors[406] = 'The answer is too large to send uncompressed: send Accept-Encoding: gzip';
  if (doc.refusals?.[409]) errors[409] = doc.refusals[409];
  if (doc.body) {
    errors[413] = 'The body is larger than this route accepts';
    errors[415] = 'The body is not application/json (gzip or identity encoded)';
  }
  if (doc.refusals?.[413]) errors[413] = doc.refusals[413];
  if (doc.refusals?.[422]) errors[422] = doc.refusals[422];
  const limits = [
    ...(isPublicRoute(route) ? [] : [`more than ${AUTHENTICATION_FAILURES.limit} failed authentications a minute from the caller's address`]),
    ...(!isPublicRoute(route) && route.rateLimit ? [`the rate limit (${route.rateLimit.limit} per ${route.rateLimit.windowSeconds} s per credential)`] : []),
    ...(doc.refusals?.[429] ? [doc.refusals[429]] : []),
  ];
  if (limits.length > 0) errors[429] = `Too many requests: ${limits.join(', or ')}`;
  errors['5XX'] = 'An internal error; the body says nothing more';
  return errors;
}
