// Request bodies of the identity management routes, and the views they answer with.
import * as z from '#shared/validation.ts';
import { ROLES } from '#domain/identity/roles.ts';
import { isoTime, named } from './api-schemas.ts';

const futureTime = z.pipe(
  z.iso.datetime({ offset: true }).check(z.refine((value) => Date.parse(value) > Date.now(), 'must be in the future')),
  z.transform((value: string) => new Date(value).toISOString()),
);

export const credentialName = z.string().check(z.trim(), z.minLength(1), z.maxLength(100));
export const roleSchema = z.enum(ROLES);

export const newApiKeyBody = z.strictObject({
  name: credentialName,
  role: z._default(roleSchema, 'developer'),
  sensor: z._default(z.boolean(), false),
  expiresAt: z.optional(futureTime),
});

export const newPatBody = z.strictObject({ name: credentialName, expiresAt: z.optional(futureTime) });

export const newMemberBody = z.strictObject({ email: z.email().check(z.maxLength(254)), role: roleSchema });

export const memberRoleBody = z.strictObject({ role: roleSchema });

export const apiKeySchema = named(
  'ApiKey',
  z.object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().check(z.describe('The first characters of the secret, to recognise it by')),
    role: roleSchema,
    sensor: z.boolean().check(z.describe('A sensor-scoped key: uploads scan results, nothing else')),
    createdAt: isoTime,
    createdBy: z.string(),
    expiresAt: z.optional(isoTime),
    lastUsedAt: z.optional(isoTime),
  }),
);
export const newApiKeySchema = named(
  'NewApiKey',
  z.object({ ...apiKeySchema.shape, key: z.string().check(z.describe('The secret (hg_ak_…): shown in this answer only')) }),
);

export const patSchema = named(
  'PersonalAccessToken',
  z.object({ id: z.string(), name: z.string(), prefix: z.string(), createdAt: isoTime, expiresAt: z.optional(isoTime), lastUsedAt: z.optional(isoTime) }),
);
export const newPatSchema = named(
  'NewPersonalAccessToken',
  z.object({ ...patSchema.shape, token: z.string().check(z.describe('The secret (hg_pat_…): shown in this answer only')) }),
);

export const memberSchema = named('Member', z.object({ userId: z.string(), email: z.string(), role: roleSchema, addedAt: isoTime, updatedAt: isoTime }));
