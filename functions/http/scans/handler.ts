// Route group: the Scans API (list, submit, get, status, delete).
import * as z from '#shared/validation.ts';
import { SCAN_SUBMISSIONS } from '#domain/rate-limit/rate-limiter.ts';
import { parseScanListQuery } from '#domain/scans/list-query.ts';
import { SCANNERS } from '#shared/scans/scanners.ts';
import { cancelScan } from '#domain/pipeline/scan-lifecycle.ts';
import { deleteScan, getScanDetails, getScanStatus } from '#domain/scans/scan-details.ts';
import { idempotent, type StoredResponse } from '#domain/scans/idempotent-request.ts';
import { submitScans } from '#domain/scans/submit-scans.ts';
import { header, jsonBody, queryParameters } from '../http-request.ts';
import { json } from '../http-response.ts';
import { scanIdParam } from '../path-parameters.ts';
import { httpHandler, type Route } from '../route.ts';
import { paginated, parsePageRequest, parseSeverity } from './page-request.ts';
import { pageLinks, pageMeta } from './list-links.ts';
import { findingView, queuedView, scanDetailsView } from './scan-views.ts';

const MAX_BATCH = 100;
const scanRequest = z.strictObject({
  image: z.string().check(z.minLength(1), z.maxLength(512)),
  scanners: z._default(z.array(z.enum(SCANNERS)).check(z.minLength(1), z.maxLength(SCANNERS.length)), ['harborguard']),
});
const batchRequest = z.strictObject({ scans: z.array(scanRequest).check(z.minLength(1), z.maxLength(MAX_BATCH)) });
/** The body is a single request or a batch; `scans` tells which one the caller meant. */
const submitBody = (parsed: unknown): z.ZodMiniType<z.infer<typeof scanRequest> | z.infer<typeof batchRequest>> =>
  typeof parsed === 'object' && parsed !== null && 'scans' in parsed ? batchRequest : scanRequest;

export const routes: Route[] = [
  {
    method: 'GET',
    resource: '/api/scans',
    access: { minRole: 'developer', credentials: ['session', 'pat', 'api_key'] },
    async handle({ event, principal, deps }) {
      const raw = queryParameters(event);
      const query = parseScanListQuery(raw);
      const { items, total } = await deps.scans.listScans(principal.orgId, query);
      const meta = pageMeta(query, total);
      return json(200, { data: items, meta, links: pageLinks('/api/scans', raw, query, meta.totalPages, ['sort', 'status', 'search']) });
    },
  },
  {
    method: 'POST',
    resource: '/api/scans',
    access: { minRole: 'developer', credentials: ['session', 'pat', 'api_key'] },
    rateLimit: SCAN_SUBMISSIONS,
    async handle({ event, principal, deps, remainingTimeMs }) {
      const body = jsonBody(event, submitBody, 1024 * 1024);
      const submit = async (): Promise<StoredResponse> => {
        if ('scans' in body) {
          const scans = await submitScans(principal, body.scans, (i, name) => `scans[${i}].${name}`, deps);
          return {
            statusCode: 202,
            body: {
              status: 'QUEUED',
              message: `${scans.length} scan${scans.length === 1 ? '' : 's'} queued for execution`,
              scans: scans.map((scan) => queuedView(scan.id)),
            },
          };
        }
        const [scan] = await submitScans(principal, [body], (_, name) => name, deps);
        return { statusCode: 202, body: queuedView(scan!.id) };
      };
      const response = await idempotent(principal.orgId, header(event, 'idempotency-key'), body, submit, deps, remainingTimeMs());
      return json(response.statusCode, response.body);
    },
  },
  {
    method: 'GET',
    resource: '/api/scans/{scanId}',
    access: { minRole: 'viewer', credentials: ['session', 'pat', 'api_key'] },
    async handle(context) {
      const details = await getScanDetails(context.principal, scanIdParam(context), context.deps);
      return json(200, { data: scanDetailsView(details) });
    },
  },
  {
    method: 'GET',
    resource: '/api/scans/{scanId}/vulnerabilities',
    access: { minRole: 'viewer', credentials: ['session', 'pat', 'api_key'] },
    async handle(context) {
      const raw = queryParameters(context.event);
      const request = parsePageRequest(raw, ['severity']);
      const severity = raw.severity === undefined ? undefined : parseSeverity(raw.severity);
      const scanId = scanIdParam(context);
      const { findings } = await getScanDetails(context.principal, scanId, context.deps, { artifacts: false });
      const rows = severity ? findings.filter((f) => f.severity === severity) : findings;
      return json(200, paginated(`/api/scans/${scanId}/vulnerabilities`, raw, request, rows.map(findingView), ['severity']));
    },
  },
  {
    method: 'GET',
    resource: '/api/scans/{scanId}/packages',
    access: { minRole: 'viewer', credentials: ['session', 'pat', 'api_key'] },
    async handle(context) {
      const raw = queryParameters(context.event);
      const request = parsePageRequest(raw, ['type']);
      const scanId = scanIdParam(context);
      const { packages } = await getScanDetails(context.principal, scanId, context.deps, { findings: false });
      const rows = raw.type ? packages.filter((p) => (p as { type?: string }).type === raw.type) : packages;
      return json(200, paginated(`/api/scans/${scanId}/packages`, raw, request, rows, ['type']));
    },
  },
  {
    method: 'GET',
    resource: '/api/scans/{scanId}/status',
    access: { minRole: 'viewer', credentials: ['session', 'pat', 'api_key'] },
    async handle(context) {
      return json(200, { data: await getScanStatus(context.principal, scanIdParam(context), context.deps) });
    },
  },
  {
    method: 'POST',
    resource: '/api/scans/{scanId}/cancel',
    access: { minRole: 'developer', credentials: ['session', 'pat', 'api_key'] },
    async handle(context) {
      const scanId = scanIdParam(context);
      await cancelScan(context.principal, scanId, context.deps);
      return json(200, { data: await getScanStatus(context.principal, scanId, context.deps) });
    },
  },
  {
    method: 'DELETE',
    resource: '/api/scans/{scanId}',
    access: { minRole: 'admin', credentials: ['session', 'pat', 'api_key'] },
    async handle(context) {
      const scanId = scanIdParam(context);
      await deleteScan(context.principal, scanId, context.deps);
      return json(200, { data: { id: scanId, deleted: true } });
    },
  },
];

export const handler = httpHandler(routes);
