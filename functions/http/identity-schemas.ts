// Request bodies of the identity management routes.
import * as z from '#shared/validation.ts';
import { ROLES } from '#domain/identity/roles.ts';

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
