// What a route says about itself for the OpenAPI document: plain data beside its access, read
// only by the meta group's generator (openapi/openapi-document.ts), so that no other function
// loads the generator. Request schemas are the very objects the route validates with; response
// schemas describe what it answers, and the API tests check every answer against them
// (test/support/http.ts). Error answers are not listed here: the generator derives them from
// the route's access, path parameters, inputs and rate limit.
import type * as z from '#shared/validation.ts';

/** The success statuses a route may answer with. */
export type SuccessStatus = 200 | 201 | 202;

export interface ResponseDoc {
  description: string;
  schema: z.ZodMiniType;
  /** application/json unless given. */
  contentType?: readonly string[];
}

export interface RouteDoc {
  summary: string;
  description?: string;
  /** The group in the document's navigation. */
  tags: readonly [string, ...string[]];
  /** An object schema with one string property per {parameter} of the resource. */
  params?: z.ZodMiniType;
  /** An object schema with one property per query parameter. */
  query?: z.ZodMiniType;
  body?: z.ZodMiniType;
  responses: Partial<Record<SuccessStatus, ResponseDoc>>;
  /** The answer may be beyond what the API sends uncompressed (response-compression.ts): 406 without Accept-Encoding: gzip. */
  large?: true;
  /**
   * Refusals of the route's own logic that its declaration does not tell (a 404 for an id in the
   * body, a 409 on a state conflict, a 422; a self-verified route's own 401, 400, 413 and 429), with when they happen.
   */
  refusals?: Partial<Record<400 | 401 | 404 | 409 | 413 | 422 | 429, string>>;
}
