// The events a webhook can subscribe to, listed once: the API's validation, the OpenAPI
// document's `webhooks` section and the docs read this table. Adding an event is one entry here
// and the code that publishes it.
import * as z from '#shared/validation.ts';

const severityCounts = z.record(z.string(), z.number());
const image = z.object({ name: z.string(), tag: z.nullable(z.string()), digest: z.nullable(z.string()) });
const scanSummary = z.object({
  id: z.string(),
  url: z.string().check(z.describe('The scan in the API, relative to its base URL')),
  dashboardUrl: z.string(),
  image,
  status: z.string(),
});
export const findingSummarySchema = z.object({
  id: z.string(),
  cveId: z.string(),
  severity: z.string(),
  cvss: z.nullable(z.number()),
  package: z.string(),
  version: z.string(),
  fixedVersion: z.nullable(z.string()),
  knownExploited: z.boolean(),
  title: z.nullable(z.string()),
});
/** The first findings of a list in full, and how many there are. */
const findingList = z.object({
  total: z.number(),
  items: z.array(findingSummarySchema),
  more: z.nullable(z.string().check(z.describe('Where the rest are listed, when there are more than the items'))),
});

export const WEBHOOK_EVENT_TYPES = {
  'scan.completed': {
    description: 'A scan finished: its summary and the findings that are new or resolved against the previous scan of the same repository and tag.',
    data: z.object({
      scan: z.extend(scanSummary, {
        grade: z.nullable(z.string()),
        riskScore: z.nullable(z.number()),
        severityCounts: z.nullable(severityCounts),
        scannedAt: z.string(),
        durationMs: z.nullable(z.number()),
      }),
      previousScanId: z.nullable(z.string()),
      newFindings: findingList,
      resolvedFindings: findingList,
    }),
  },
  'scan.failed': {
    description: 'A scan failed: the failure code and its reason.',
    data: z.object({ scan: scanSummary, failure: z.object({ code: z.string(), reason: z.string() }) }),
  },
  'scan.cancelled': { description: 'A scan was cancelled before it finished.', data: z.object({ scan: scanSummary }) },
  'finding.new': {
    description: 'A scan found CRITICAL or HIGH vulnerabilities never seen before in that repository and tag.',
    data: z.object({ scan: scanSummary, findings: findingList }),
  },
  'kev.added': {
    description:
      "Findings of a repository and tag whose vulnerability entered CISA's Known Exploited Vulnerabilities catalog since its previous scan (a re-match against newer advisories, or a new scan).",
    data: z.object({ scan: scanSummary, findings: findingList }),
  },
  'webhook.test': { description: 'Sent by POST /api/webhooks/{id}/test.', data: z.object({ webhookId: z.string(), message: z.string() }) },
} as const;

export type WebhookEventType = keyof typeof WEBHOOK_EVENT_TYPES;
export const EVENT_TYPE_NAMES = Object.keys(WEBHOOK_EVENT_TYPES) as [WebhookEventType, ...WebhookEventType[]];

/** The payload's data for an event type. */
export type EventData<T extends WebhookEventType> = z.infer<(typeof WEBHOOK_EVENT_TYPES)[T]['data']>;
