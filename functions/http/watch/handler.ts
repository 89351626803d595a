// Route group: continuous re-matching (docs/WATCH.md): the organisation's re-match runs with their
// progress and counts, a run started by hand (admin, one per 5 minutes), and what is watched
// (the window, pinned and muted tags).
import { listWatchRuns, requestWatchRun } from '#domain/watch/manage-watch.ts';
import { RUN_COUNTS } from '#domain/watch/rematch-run.ts';
import { getWatchSettings, MAX_WINDOW_DAYS, updateWatchSettings, watchSettingsSchema } from '#domain/watch/watch-settings.ts';
import { ValidationError } from '#shared/errors.ts';
import * as z from '#shared/validation.ts';
import { dataOf, isoTime, named } from '../api-schemas.ts';
import { jsonBody, queryParameters } from '../http-request.ts';
import { json } from '../http-response.ts';
import { httpHandler, type Route } from '../route.ts';

const tags = ['Watch'] as const;
const ADMINS = { minRole: 'admin', credentials: ['session', 'pat', 'api_key'] } as const;
const MEMBERS = { minRole: 'viewer', credentials: ['session', 'pat', 'api_key'] } as const;
const RUN_ID = /^run_[a-z0-9]{19}$/;
const MAX_PAGE = 100;

const snapshotSchema = z.object({ builtAt: isoTime, contentHash: z.string(), advisories: z.optional(z.int()) });
const countsSchema = z.object(Object.fromEntries(RUN_COUNTS.map((name) => [name, z.int()])) as Record<(typeof RUN_COUNTS)[number], z.ZodMiniInt>);
const runSchema = named(
  'WatchRun',
  z.object({
    id: z.string(),
    trigger: z.union([z.object({ kind: z.literal('snapshot') }), z.object({ kind: z.literal('manual'), requestedBy: z.string() })]),
    snapshot: snapshotSchema,
    startedAt: isoTime,
    finishedAt: z.nullable(isoTime),
    durationMs: z.nullable(z.int()).check(z.describe('From planning to the last batch counted; null while it runs')),
    watched: z.int().check(z.describe('Tags watched when the run was planned')),
    upToDate: z.int().check(z.describe('Of those, already matched against this snapshot: nothing to do')),
    batches: z.int(),
    batchesDone: z.int(),
    counts: countsSchema,
  }),
);
const tagReferenceSchema = z.object({ image: z.string(), tag: z.string(), tagId: z.string() });
const settingsSchema = named(
  'WatchSettings',
  z.object({
    windowDays: z.int().check(z.describe(`A tag is watched while its last scan is this recent (1–${MAX_WINDOW_DAYS} days)`)),
    pinned: z.array(tagReferenceSchema).check(z.describe('Always watched, however long ago they were scanned')),
    muted: z.array(tagReferenceSchema).check(z.describe('Never re-matched')),
  }),
);

function runPage(query: Record<string, string | undefined>) {
  const { limit: rawLimit = '20', after, ...unknown } = query;
  const limit = Number(rawLimit);
  const issues = [
    ...(Number.isInteger(limit) && limit >= 1 && limit <= MAX_PAGE ? [] : [{ path: 'limit', message: `must be an integer from 1 to ${MAX_PAGE}` }]),
    ...(after !== undefined && !RUN_ID.test(after) ? [{ path: 'after', message: 'not a run id' }] : []),
    ...Object.keys(unknown).map((name) => ({ path: name, message: 'unknown query parameter' })),
  ];
  if (issues.length > 0) throw new ValidationError(`Invalid query parameter: ${issues.map((i) => i.path).join(', ')}`, issues);
  return { limit, ...(after !== undefined ? { after } : {}) };
}

export const routes: Route[] = [
  {
    method: 'GET',
    resource: '/api/watch/runs',
    access: MEMBERS,
    doc: {
      summary: "The organisation's re-match runs",
      description:
        'Newest first. A run starts when a new advisory snapshot is published, or by hand; it re-matches the stored package inventory of every watched tag whose latest scan was matched against another snapshot. Follow `links.next` for older runs.',
      tags,
      query: z.object({
        limit: z.optional(z.int().check(z.gte(1), z.lte(MAX_PAGE), z.describe('Runs per page (default 20)'))),
        after: z.optional(z.string().check(z.describe('The last run id of the previous page'))),
      }),
      responses: {
        200: {
          description: 'A page of runs',
          schema: z.object({ data: z.array(runSchema), links: z.object({ self: z.string(), next: z.optional(z.string()) }) }),
        },
      },
    },
    async handle({ event, principal, deps }) {
      const page = runPage(queryParameters(event));
      const { runs, next } = await listWatchRuns(principal, page, deps);
      return json(200, {
        data: runs.map(({ orgId: _orgId, ...run }) => ({ ...run, durationMs: run.finishedAt ? Date.parse(run.finishedAt) - Date.parse(run.startedAt) : null })),
        links: {
          self: `/api/watch/runs?limit=${page.limit}${page.after ? `&after=${page.after}` : ''}`,
          ...(next ? { next: `/api/watch/runs?limit=${page.limit}&after=${next}` } : {}),
        },
      });
    },
  },
  {
    method: 'POST',
    resource: '/api/watch/run',
    access: ADMINS,
    doc: {
      summary: 'Re-match the watched tags now',
      description:
        "Queues a run of this organisation's watched tags against the published snapshot; it appears in GET /api/watch/runs once planned, under the id answered here. One run per organisation per 5 minutes.",
      tags,
      refusals: { 429: 'A run was started less than 5 minutes ago' },
      responses: { 202: { description: 'The run is queued', schema: dataOf(z.object({ runId: z.string(), requestedAt: isoTime })) } },
    },
    async handle({ principal, deps }) {
      return json(202, { data: await requestWatchRun(principal, deps) });
    },
  },
  {
    method: 'GET',
    resource: '/api/watch/settings',
    access: MEMBERS,
    doc: {
      summary: 'What is watched',
      description: 'The window within which a scanned tag stays watched (default 30 days), and the tags pinned and muted.',
      tags,
      responses: { 200: { description: 'The settings (the defaults unless set)', schema: dataOf(settingsSchema) } },
    },
    async handle({ principal, deps }) {
      return json(200, { data: await getWatchSettings(principal, deps) });
    },
  },
  {
    method: 'PUT',
    resource: '/api/watch/settings',
    access: ADMINS,
    doc: {
      summary: 'Set what is watched',
      description: 'Pinned and muted tags are named by image and tag, and must have been scanned; a tag cannot be both.',
      tags,
      body: watchSettingsSchema,
      responses: { 200: { description: 'The settings', schema: dataOf(settingsSchema) } },
    },
    async handle({ event, principal, deps }) {
      return json(200, { data: await updateWatchSettings(principal, jsonBody(event, watchSettingsSchema, 256 * 1024), deps) });
    },
  },
];

export const handler = httpHandler(routes);
