// The documented shapes of the images views: query parameters and the rows image-views.ts builds, field for field.
import * as z from '#shared/validation.ts';
import { COMPLIANCE_GRADES, SEVERITIES } from '#shared/envelope/envelope-schema.ts';
import { IMAGE_ID_PATTERN } from '#domain/images/catalogue.ts';
import { IMAGE_SORT_FIELDS } from '#domain/images/image-list-query.ts';
import { dataOf, idParam, isoTime, named, pageOf, pageQuery } from '../api-schemas.ts';

export const imageIdParams = z.object({ imageId: idParam(IMAGE_ID_PATTERN, 'The repository, as its `id` in GET /api/images') });

export const imageListQuery = z.object({
  ...pageQuery(200, 50),
  sort: z.optional(
    z
      .string()
      .check(
        z.regex(new RegExp(`^(${IMAGE_SORT_FIELDS.join('|')})(:(asc|desc))?$`)),
        z.describe(`field[:asc|desc], field one of ${IMAGE_SORT_FIELDS.join(', ')} (default name:asc; lastScannedAt and riskScore default to desc)`),
      ),
  ),
  registry: z.optional(z.string().check(z.minLength(1), z.maxLength(255), z.describe('Only repositories of this registry host, e.g. ghcr.io'))),
  minRisk: z.optional(z.int().check(z.gte(0), z.lte(100), z.describe("Only repositories whose latest scan's risk score is at least this"))),
  grade: z.optional(
    z
      .string()
      .check(z.regex(new RegExp(`^[${COMPLIANCE_GRADES.join('')}](,[${COMPLIANCE_GRADES.join('')}])*$`)), z.describe('Comma-separated grades, e.g. D,F')),
  ),
  search: z.optional(z.string().check(z.minLength(1), z.maxLength(256), z.describe('Matches the repository name or one of its tags, case-insensitively'))),
});

const severityCounts = named(
  'SeverityCounts',
  z.object(Object.fromEntries(SEVERITIES.map((s) => [s, z.int()])) as Record<(typeof SEVERITIES)[number], z.ZodMiniInt>),
);
const grade = z.nullable(z.enum(COMPLIANCE_GRADES));

export const imageListItemSchema = named(
  'ImageListItem',
  z.object({
    id: z.string(),
    name: z.string(),
    registry: z.string(),
    latestTag: z.nullable(z.string()),
    digest: z.nullable(z.string()),
    riskScore: z.nullable(z.number()),
    grade,
    severityCounts: z.nullable(severityCounts),
    lastScannedAt: z.nullable(isoTime),
    tagCount: z.int(),
  }),
);

const tagLatestScan = named(
  'TagLatestScan',
  z.object({
    id: z.string(),
    scannedAt: isoTime,
    digest: z.nullable(z.string()),
    riskScore: z.nullable(z.number()),
    grade,
    severityCounts: z.nullable(severityCounts),
  }),
);

export const imageSchema = named(
  'Image',
  z.object({
    ...imageListItemSchema.shape,
    tags: z.array(z.object({ tagId: z.string(), tag: z.string(), latestScan: z.nullable(tagLatestScan) })),
  }),
);

export const imageHistorySchema = named(
  'ImageHistory',
  z.object({
    id: z.string(),
    name: z.string(),
    points: z.array(
      z.object({ scanId: z.string(), tagId: z.string(), tag: z.string(), scannedAt: isoTime, riskScore: z.nullable(z.number()), severityCounts }),
    ),
  }),
);

export const imageListSchema = pageOf(imageListItemSchema);
export const imageDetailSchema = dataOf(imageSchema);
export const imageHistoryResponse = dataOf(imageHistorySchema);
