// Route group: the images views — the organisation's repositories from the tag/image catalogue,
// one repository with its tags' current state, and its counts by severity over time.
import { IMAGE_ID_PATTERN } from '#domain/images/catalogue.ts';
import { parseImageListQuery } from '#domain/images/image-list-query.ts';
import { getImageDetails, imageHistory, listImages } from '#domain/images/list-images.ts';
import { queryParameters } from '../http-request.ts';
import { json } from '../http-response.ts';
import { pathParameter } from '../path-parameters.ts';
import { httpHandler, type Route, type RouteContext } from '../route.ts';
import { pageLinks, pageMeta } from '../scans/list-links.ts';
import { imageDetailSchema, imageHistoryResponse, imageIdParams, imageListQuery, imageListSchema } from './image-schemas.ts';
import { imageHistoryView, imageListItemView, imageView } from './image-views.ts';

const tags = ['Images'] as const;
const VIEWERS = { minRole: 'viewer', credentials: ['session', 'pat', 'api_key'] } as const;
const imageIdParam = (context: RouteContext) => pathParameter(context, 'imageId', IMAGE_ID_PATTERN, 'Image');

export const routes: Route[] = [
  {
    method: 'GET',
    resource: '/api/images',
    access: VIEWERS,
    doc: {
      summary: 'List images',
      description:
        "The organisation's repositories, each with its most recently scanned tag: digest, risk score, grade, counts by severity and when it was scanned. Filter by registry, minimum risk, grades or a search of names and tags.",
      tags,
      query: imageListQuery,
      responses: { 200: { description: 'A page of repositories', schema: imageListSchema } },
    },
    async handle({ event, principal, deps }) {
      const raw = queryParameters(event);
      const query = parseImageListQuery(raw);
      const { items, total } = await listImages(principal, query, deps);
      const meta = pageMeta(query, total);
      return json(200, {
        data: items.map(imageListItemView),
        meta,
        links: pageLinks('/api/images', raw, query, meta.totalPages, ['sort', 'registry', 'minRisk', 'grade', 'search']),
      });
    },
  },
  {
    method: 'GET',
    resource: '/api/images/{imageId}',
    access: VIEWERS,
    doc: {
      summary: 'Get an image',
      description: "The repository with each of its tags and that tag's latest finished scan (most recently scanned first).",
      tags,
      params: imageIdParams,
      responses: { 200: { description: 'The repository', schema: imageDetailSchema } },
    },
    async handle(context) {
      const { image, tags: states } = await getImageDetails(context.principal, imageIdParam(context), context.deps);
      return json(200, { data: imageView(image, states) });
    },
  },
  {
    method: 'GET',
    resource: '/api/images/{imageId}/history',
    access: VIEWERS,
    doc: {
      summary: "Get an image's history",
      description:
        "Counts by severity and the risk score of every matched, finished scan of the repository's tags (re-matches included), oldest first: a trend chart's points.",
      tags,
      params: imageIdParams,
      responses: { 200: { description: 'The points', schema: imageHistoryResponse } },
    },
    async handle(context) {
      const { image, points } = await imageHistory(context.principal, imageIdParam(context), context.deps);
      return json(200, { data: imageHistoryView(image, points) });
    },
  },
];

export const handler = httpHandler(routes);
