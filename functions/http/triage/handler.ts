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
import * as z from '#shared/validation.ts';
import { dataOf, idParam, isoTime, named } from '../api-schemas.ts';
import { findingSchema } from '../scans/scan-schemas.ts';

const ADMINS = { minRole: 'admin', credentials: ['session', 'pat', 'api_key'] } as const;
const FINDING_ID = /^fnd-[A-Za-z0-9_.-]{1,100}$/;
const slaSchema = named('SlaPolicy', z.object({ CRITICAL: z.int(), HIGH: z.int(), MEDIUM: z.int(), LOW: z.int() }));
const auditEntrySchema = named(
  'AuditEntry',
  z.object({
    at: isoTime,
    actor: z.string(),
    sourceIp: z.optional(z.string()),
    action: z.string(),
    target: z.string(),
    // What the entry's subject was before and after: a shape of its own per action.
    before: z.optional(z.unknown()),
    after: z.optional(z.unknown()),
  }),
);
const auditPageSchema = z.object({ data: z.array(auditEntrySchema), links: z.object({ self: z.string(), next: z.optional(z.string()) }) });

export const routes: Route[] = [
  {
    method: 'PUT',
    // `{id}`: API Gateway allows one variable name per path level, and GET /api/vulnerabilities/{id} (a CVE id) shares this one.
    resource: '/api/vulnerabilities/{id}/triage',
    access: { minRole: 'developer', credentials: ['session', 'pat', 'api_key'] },
    doc: {
      summary: 'Triage a finding',
      description: 'Sets its status, assignee or note; the change is audited, and later scans of the same image carry it on.',
      tags: ['Triage'],
      params: z.object({ id: idParam(FINDING_ID, 'The finding, as its `id` in a scan') }),
      body: triageChangeSchema,
      responses: { 200: { description: 'The finding', schema: dataOf(findingSchema) } },
    },
    async handle(context) {
      const findingId = pathParameter(context, 'id', FINDING_ID, 'Vulnerability');
      const finding = await updateTriage(context.principal, findingId, jsonBody(context.event, triageChangeSchema, 16 * 1024), context.deps);
      return json(200, { data: findingView(finding) });
    },
  },
  {
    method: 'GET',
    resource: '/api/organization/sla-policy',
    access: ADMINS,
    doc: {
      summary: "The organisation's SLA policy",
      description: 'Days to fix a finding, by severity, counted from its first sighting.',
      tags: ['Organization'],
      responses: { 200: { description: 'The policy (the default unless set)', schema: dataOf(slaSchema) } },
    },
    async handle({ principal, deps }) {
      return json(200, { data: (await deps.triage.getSlaPolicy(principal.orgId)) ?? DEFAULT_SLA_DAYS });
    },
  },
  {
    method: 'PUT',
    resource: '/api/organization/sla-policy',
    access: ADMINS,
    doc: {
      summary: "Set the organisation's SLA policy",
      tags: ['Organization'],
      body: slaPolicySchema,
      responses: { 200: { description: 'The policy', schema: dataOf(slaSchema) } },
    },
    async handle({ event, principal, deps }) {
      return json(200, { data: await updateSlaPolicy(principal, jsonBody(event, slaPolicySchema, 4096), deps) });
    },
  },
  {
    method: 'GET',
    resource: '/api/audit-logs',
    access: ADMINS,
    doc: {
      summary: 'The audit log',
      description: 'Changes to members, credentials, registries, triage and policy, newest first; follow `links.next` for older entries.',
      tags: ['Organization'],
      query: z.object({
        limit: z.optional(z.int().check(z.gte(1), z.lte(200), z.describe('Entries per page (default 50)'))),
        cursor: z.optional(z.string().check(z.describe('From links.next of the previous page'))),
      }),
      responses: { 200: { description: 'A page of entries', schema: auditPageSchema } },
    },
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
