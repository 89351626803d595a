// The one structured logger, for the Lambdas, the local stack and the scanner task: Powertools
// Logger, so every line is one JSON object with a level, a timestamp, the service, the Lambda
// request id once a handler has given it its context, and errors with name, message and stack.
// And never a secret: every value passes through `redact` before it is printed.
import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Field names that hold credentials or what unlocks them: the HTTP headers (Authorization,
 * Cookie, X-Api-Key), passwords, secrets, tokens and keys by any casing (`uploadKey`,
 * `HG_UPLOAD_KEY`, `sessionSecret`). Names that only point at one (`credentialId`, `keyArn`) pass.
 */
const SECRET_FIELD = /authorization|cookie|passw(or)?d|secret|token$|key$|credentials$/i;

/**
 * Credentials inside free text (an error message, a stack, an echoed header): bearer and basic
 * credentials with their scheme, HarborGuard API keys and PATs, and signed session tokens
 * (three base64url parts, the first a JSON object's).
 */
const SECRET_TEXT = [/\b(Bearer|Basic)\s+[\w.~+/=-]+/gi, /\bhg_(ak|pat)_[0-9A-Za-z]+/g, /\beyJ[\w-]*\.[\w-]+\.[\w-]+/g];

export const REDACTED = '[redacted]';

export function redact(key: string, value: unknown): unknown {
  if (key !== '' && SECRET_FIELD.test(key) && value !== undefined && value !== null && value !== '') return REDACTED;
  if (typeof value !== 'string') return value;
  return SECRET_TEXT.reduce((text, pattern) => text.replace(pattern, REDACTED), value);
}

/** The level comes from POWERTOOLS_LOG_LEVEL or, in Lambda, the function's application log level. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'harborguard', jsonReplacerFn: redact });
