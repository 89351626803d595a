// Request bodies of the identity management routes.
import { z } from 'zod';
import { ROLES } from '#domain/identity/roles.ts';

const futureTime = z.iso
  .datetime({ offset: true })
  .refine((value) => Date.parse(value) > Date.now(), 'must be in the future')
  .transform((value) => new Date(value).toISOString());

export const credentialName = z.string().trim().min(1).max(100);
export const roleSchema = z.enum(ROLES);

export const newApiKeyBody = z.strictObject({
  name: credentialName,
  role: roleSchema.default('developer'),
  sensor: z.boolean().default(false),
  expiresAt: futureTime.optional(),
});

export const newPatBody = z.strictObject({ name: credentialName, expiresAt: futureTime.optional() });

export const newMemberBody = z.strictObject({ email: z.email().max(254), role: roleSchema });

export const memberRoleBody = z.strictObject({ role: roleSchema });
