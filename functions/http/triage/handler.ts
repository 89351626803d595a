// Route group: triage of findings, the organisation's SLA policy, and the audit log.
import { ValidationError } from '#shared/errors.ts';
import { DEFAULT_SLA_DAYS } from '#domain/triage/sla-policy.ts';
import { slaPolicySchema, updateSlaPolicy } from '#domain/triage/update-sla-policy.ts';
import { triageChangeSchema, updateTriage } from '#domain/triage/update-triage.ts';
import { jsonBody, queryParameters } from '../http-request.ts';
import { json } from '../http-response.ts';
import { pathParameter } from '../path-parameters.ts';
import { httpHandler, type Route } from '../route.ts';
import { findingView } from '../scans/scan-views.ts';

export const routes: Route[] = [
  {
    method: 'PUT',
    resource: '/api/vulnerabilities/{findingId}/triage',
    access: { minRole: 'developer', credentials: ['session', 'pat', 'api_key'] },
    async handle(context) {
      const findingId = pathParameter(context, 'findingId', /^fnd-[A-Za-z0-9_.-]{1,100}$/, 'Vulnerability');
      const finding = await updateTriage(context.principal, findingId, jsonBody(context.event, triageChangeSchema, 16 * 1024), context.deps);
      return json(200, { data: findingView(finding) });
    },
  },
  {
    method: 'GET',
    resource: '/api/organization/sla-policy',
    access: { minRole: 'admin', credentials: ['session', 'pat', 'api_key'] },
    async handle({ principal, deps }) {
      return json(200, { data: (await deps.triage.getSlaPolicy(principal.orgId)) ?? DEFAULT_SLA_DAYS });
    },
  },
  {
    method: 'PUT',
    resource: '/api/organization/sla-policy',
    access: { minRole: 'admin', credentials: ['session', 'pat', 'api_key'] },
    async handle({ event, principal, deps }) {
      return json(200, { data: await updateSlaPolicy(principal, jsonBody(event, slaPolicySchema, 4096), deps) });
    },
  },
  {
    method: 'GET',
    resource: '/api/audit-logs',
    access: { minRole: 'admin', credentials: ['session', 'pat', 'api_key'] },
    async handle({ event, principal, deps }) {
      const { limit: rawLimit = '50', cursor, ...unknown } = queryParameters(event);
      const limit = Number(rawLimit);
      const issues = [
        ...(Number.isInteger(limit) && limit >= 1 && limit <= 200 ? [] : [{ path: 'limit', message: 'must be an integer from 1 to 200' }]),
        ...(cursor !== undefined && !/^[0-9TZ:.-]{20,30}#[0-9a-f]{8}$/.test(cursor) ? [{ path: 'cursor', message: 'not a cursor this API gave out' }] : []),
        ...Object.keys(unknown).map((name) => ({ path: name, message: 'unknown query parameter' })),
      ];
      if (issues.length > 0) throw new ValidationError(`Invalid query parameter: ${issues.map((i) => i.path).join(', ')}`, issues);
      const page = await deps.triage.listAudit(principal.orgId, limit, cursor);
      return json(200, {
        data: page.entries,
        links: {
          self: `/api/audit-logs?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          ...(page.next ? { next: `/api/audit-logs?limit=${limit}&cursor=${encodeURIComponent(page.next)}` } : {}),
        },
      });
    },
  },
];

export const handler = httpHandler(routes);
