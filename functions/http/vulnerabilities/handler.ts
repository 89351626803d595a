// Route group: the organisation's open vulnerabilities across its tags' current states, and one
// vulnerability with the images and tags it affects.
import { getVulnerability, listVulnerabilities } from '#domain/vulnerabilities/list-vulnerabilities.ts';
import { parseVulnerabilityListQuery } from '#domain/vulnerabilities/vulnerability-list-query.ts';
import { queryParameters } from '../http-request.ts';
import { json } from '../http-response.ts';
import { pathParameter } from '../path-parameters.ts';
import { httpHandler, type Route } from '../route.ts';
import { pageLinks, pageMeta } from '../scans/list-links.ts';
import {
  VULNERABILITY_ID,
  vulnerabilityDetailSchema,
  vulnerabilityIdParams,
  vulnerabilityListQuery,
  vulnerabilityListSchema,
} from './vulnerability-schemas.ts';
import { vulnerabilitySummaryView, vulnerabilityView } from './vulnerability-views.ts';

const tags = ['Vulnerabilities'] as const;
const VIEWERS = { minRole: 'viewer', credentials: ['session', 'pat', 'api_key'] } as const;
const KEPT = ['sort', 'severity', 'status', 'kev', 'fixable', 'package', 'cveId', 'image', 'search'] as const;

export const routes: Route[] = [
  {
    method: 'GET',
    resource: '/api/vulnerabilities',
    access: VIEWERS,
    doc: {
      summary: 'List vulnerabilities',
      description:
        "The vulnerabilities open on the organisation's tags as their latest scans (and re-matches) report them, one row per vulnerability: highest severity, CVSS and EPSS, KEV, whether a fix exists, the affected packages, images and tags, the earliest first sighting and SLA deadline, and the affected tags by triage status.",
      tags,
      query: vulnerabilityListQuery,
      responses: { 200: { description: 'A page of vulnerabilities', schema: vulnerabilityListSchema } },
    },
    async handle({ event, principal, deps }) {
      const raw = queryParameters(event);
      const query = parseVulnerabilityListQuery(raw);
      const { items, total } = await listVulnerabilities(principal, query, deps);
      const meta = pageMeta(query, total);
      return json(200, { data: items.map(vulnerabilitySummaryView), meta, links: pageLinks('/api/vulnerabilities', raw, query, meta.totalPages, KEPT) });
    },
  },
  {
    method: 'GET',
    // `{id}`: API Gateway allows one variable name per path level, shared with PUT /api/vulnerabilities/{id}/triage.
    resource: '/api/vulnerabilities/{id}',
    access: VIEWERS,
    doc: {
      summary: 'Get a vulnerability',
      description: 'Which images and tags it affects now: each package and version, its fixed version, since when and its triage status.',
      tags,
      params: vulnerabilityIdParams,
      responses: { 200: { description: 'The vulnerability', schema: vulnerabilityDetailSchema } },
      refusals: { 404: 'The vulnerability is open on no current tag of the organisation' },
    },
    async handle(context) {
      const cveId = pathParameter(context, 'id', VULNERABILITY_ID, 'Vulnerability');
      const { summary, affected } = await getVulnerability(context.principal, cveId, context.deps);
      return json(200, { data: vulnerabilityView(summary, affected) });
    },
  },
];

export const handler = httpHandler(routes);
