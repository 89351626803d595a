// The jobs' side of the structured logger: each invocation's lines carry its Lambda request id.
// The local stack invokes the same handlers without a context; their lines then have none.
import type { Context } from 'aws-lambda';
import { logger } from '#shared/logging/logger.ts';

export function logInvocation(context: Context | undefined): void {
  logger.resetKeys();
  if (context) logger.addContext(context);
}
