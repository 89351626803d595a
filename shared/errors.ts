// Typed domain errors. The HTTP layer maps each to its status and error code in one place
// (functions/http/middleware/error-handler.ts); the domain never speaks HTTP.

export interface IssueDetail {
  path: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends DomainError {
  readonly code = 'BAD_REQUEST';
}

export class ValidationError extends DomainError {
  readonly code = 'VALIDATION_ERROR';
  constructor(
    message: string,
    readonly issues: IssueDetail[] = [],
  ) {
    super(message);
  }
}

export class UnauthorizedError extends DomainError {
  readonly code = 'UNAUTHORIZED';
  constructor(message = 'Authentication required') {
    super(message);
  }
}

export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN';
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
}

export class ConflictError extends DomainError {
  readonly code = 'CONFLICT';
}

export class PayloadTooLargeError extends DomainError {
  readonly code = 'PAYLOAD_TOO_LARGE';
}

export class UnsupportedMediaTypeError extends DomainError {
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
}

export class RateLimitedError extends DomainError {
  readonly code = 'RATE_LIMITED';
  constructor(
    message: string,
    readonly decision: RateLimitDecision,
  ) {
    super(message);
  }
}

/** The outcome of one rate-limit check; carried on responses as RateLimit headers. */
export interface RateLimitDecision {
  policy: string;
  limit: number;
  windowSeconds: number;
  remaining: number;
  /** Seconds until a slot frees up (0 when one is free now). */
  resetSeconds: number;
  allowed: boolean;
}

export class MethodNotAllowedError extends DomainError {
  readonly code = 'METHOD_NOT_ALLOWED';
  constructor(
    message: string,
    readonly allowed: string[],
  ) {
    super(message);
  }
}

export class UnprocessableError extends DomainError {
  readonly code = 'UNPROCESSABLE';
}
