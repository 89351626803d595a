// Path parameters: anything not shaped like the id it stands for cannot exist, so it is
// answered exactly like an unknown id (404), never echoed back at length.
import { NotFoundError } from '#shared/errors.ts';
import { SCAN_ID_PATTERN } from '#shared/scans/scan-contract.ts';
import type { RouteContext } from './route.ts';

export function pathParameter({ event }: RouteContext, name: string, pattern: RegExp, what: string): string {
  const value = event.pathParameters?.[name];
  if (value === undefined || !pattern.test(value)) throw new NotFoundError(`${what} not found`);
  return value;
}

export const scanIdParam = (context: RouteContext) => pathParameter(context, 'scanId', SCAN_ID_PATTERN, 'Scan');
