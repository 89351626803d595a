// Route group: the Scans API (list, submit, get, status, delete).
import * as z from '#shared/validation.ts';
import { SCAN_SUBMISSIONS } from '#domain/rate-limit/rate-limiter.ts';
import { parseScanListQuery } from '#domain/scans/list-query.ts';
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
import {
  batchRequest,
  findingPageSchema,
  packagePageSchema,
  packagesQuery,
  queuedBatchSchema,
  queuedSchema,
  scanIdParams,
  scanListQuery,
  scanListSchema,
  scanRequest,
  scanSchema,
  scanStatusSchema,
  submitBodySchema,
  vulnerabilitiesQuery,
} from './scan-schemas.ts';
import { dataOf, deletedOf } from '../api-schemas.ts';

const tags = ['Scans'] as const;
const MEMBERS = ['session', 'pat', 'api_key'] as const;

/** The body is a single request or a batch; `scans` tells which one the caller meant. */
const submitBody = (parsed: unknown): z.ZodMiniType<z.infer<typeof scanRequest> | z.infer<typeof batchRequest>> =>
  typeof parsed === 'object' && parsed !== null && 'scans' in parsed ? batchRequest : scanRequest;

export const routes: Route[] = [
  {
    method: 'GET',
    resource: '/api/scans',
    access: { minRole: 'developer', credentials: MEMBERS },
    doc: {
      summary: 'List scans',
      description: "The organisation's scans, newest first unless sorted otherwise; filter by status or image name.",
      tags,
      query: scanListQuery,
      responses: { 200: { description: 'A page of scans', schema: scanListSchema } },
    },
    async handle({ event, principal, deps }) {
      const raw = queryParameters(event);
      const query = parseScanListQuery(raw);
      const { items, total } = await deps.scans.listScans(principal.orgId, query);
      const meta = pageMeta(query, total);
      return json(200, { data: items, meta, links: pageLinks('/api/scans', raw, query, meta.totalPages, ['sort', 'status', 'search', 'trigger']) });
    },
  },
  {
    method: 'POST',
    resource: '/api/scans',
    access: { minRole: 'developer', credentials: MEMBERS },
    rateLimit: SCAN_SUBMISSIONS,
    doc: {
      summary: 'Submit scans',
      description:
        'Queues a scan of one image, or (`scans`) of up to 100. An `Idempotency-Key` header makes a retry answer as the first request did instead of queuing again.',
      tags,
      body: submitBodySchema,
      responses: { 202: { description: 'Queued: one scan, or a batch', schema: z.union([queuedSchema, queuedBatchSchema]) } },
      refusals: {
        409: 'A request with the same Idempotency-Key is still being processed',
        422: 'The Idempotency-Key was used with a different body',
      },
    },
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
    access: { minRole: 'viewer', credentials: MEMBERS },
    doc: {
      summary: 'Get a scan',
      large: true,
      description: 'The scan with its vulnerabilities, packages, layers, scanners, warnings and compliance checks.',
      tags,
      params: scanIdParams,
      responses: { 200: { description: 'The scan', schema: dataOf(scanSchema) } },
    },
    async handle(context) {
      const details = await getScanDetails(context.principal, scanIdParam(context), context.deps);
      return json(200, { data: scanDetailsView(details) });
    },
  },
  {
    method: 'GET',
    resource: '/api/scans/{scanId}/vulnerabilities',
    access: { minRole: 'viewer', credentials: MEMBERS },
    doc: {
      summary: "List a scan's vulnerabilities",
      large: true,
      tags,
      params: scanIdParams,
      query: vulnerabilitiesQuery,
      responses: { 200: { description: 'A page of findings', schema: findingPageSchema } },
    },
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
    access: { minRole: 'viewer', credentials: MEMBERS },
    doc: {
      summary: "List a scan's packages",
      large: true,
      tags,
      params: scanIdParams,
      query: packagesQuery,
      responses: { 200: { description: 'A page of packages', schema: packagePageSchema } },
    },
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
    access: { minRole: 'viewer', credentials: MEMBERS },
    doc: {
      summary: "Get a scan's status",
      description: 'Cheap to poll: status, progress while running, and why a failed scan failed.',
      tags,
      params: scanIdParams,
      responses: { 200: { description: 'The status', schema: dataOf(scanStatusSchema) } },
    },
    async handle(context) {
      return json(200, { data: await getScanStatus(context.principal, scanIdParam(context), context.deps) });
    },
  },
  {
    method: 'POST',
    resource: '/api/scans/{scanId}/cancel',
    access: { minRole: 'developer', credentials: MEMBERS },
    doc: {
      summary: 'Cancel a scan',
      description: 'Stops a queued or running scan; its task is stopped.',
      tags,
      params: scanIdParams,
      responses: { 200: { description: "The cancelled scan's status", schema: dataOf(scanStatusSchema) } },
      refusals: { 409: 'The scan has already finished' },
    },
    async handle(context) {
      const scanId = scanIdParam(context);
      await cancelScan(context.principal, scanId, context.deps);
      return json(200, { data: await getScanStatus(context.principal, scanId, context.deps) });
    },
  },
  {
    method: 'DELETE',
    resource: '/api/scans/{scanId}',
    access: { minRole: 'admin', credentials: MEMBERS },
    doc: {
      summary: 'Delete a scan',
      description: 'Removes the scan and everything stored for it; a running task is stopped first.',
      tags,
      params: scanIdParams,
      responses: { 200: { description: 'Deleted', schema: deletedOf('id') } },
    },
    async handle(context) {
      const scanId = scanIdParam(context);
      await deleteScan(context.principal, scanId, context.deps);
      return json(200, { data: { id: scanId, deleted: true } });
    },
  },
];

export const handler = httpHandler(routes);
