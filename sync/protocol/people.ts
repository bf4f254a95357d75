// People at HQ (contract v1 additions, "People at HQ"): back-office users, their session, the audit log.
// Shared by HQ and the back-office console.
import { z } from 'zod';
import { Text } from '../../core/text';

/** Least to most: a viewer reads; a manager also changes vouchers, campaigns, imports, tills and reconciliation; an admin also manages people and API keys. */
export const ROLES = ['viewer', 'manager', 'admin'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** Whether `role` may do what needs `needed`. */
export function roleAllows(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** An e-mail address as people type it; kept lower-case so one person is one user whatever the case. */
export const EmailSchema = Text.trim().toLowerCase().pipe(z.email().max(254));
/**
 * A new password: 10 to 200 characters, nothing else demanded (length is what makes a password hard
 * to guess; rules about digits and symbols mostly make people write it down).
 */
export const NewPasswordSchema = z.string().min(10, 'at least 10 characters').max(200, 'at most 200 characters');

export const SignInSchema = z.strictObject({ email: EmailSchema, password: z.string().min(1).max(200) });
/** The signed-in person, and HQ's time zone (the one validity rules without a till are read in). */
export const SessionSchema = z.object({ user_id: z.uuid(), email: z.string(), role: RoleSchema, time_zone: z.string() });

export const UserSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  role: RoleSchema,
  disabled: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type User = z.infer<typeof UserSchema>;
export const UserCreateSchema = z.strictObject({ email: EmailSchema, password: NewPasswordSchema, role: RoleSchema });
/**
 * An admin changes anyone's role, password or disabled flag; anyone changes their own password, giving
 * the current one (`current_password`) — so a session left open cannot lock its owner out.
 */
export const UserUpdateSchema = z.strictObject({
  role: RoleSchema.optional(),
  password: NewPasswordSchema.optional(),
  current_password: z.string().max(200).optional(),
  disabled: z.boolean().optional(),
});

export const AuditEntrySchema = z.object({
  id: z.int(),
  at: z.string(),
  actor: z.object({ kind: z.enum(['user', 'admin_token', 'api_key']), id: z.string().nullable(), label: z.string() }),
  action: z.string(),
  target: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
export const AuditLogQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export const AuditLogSchema = z.object({ result: z.array(AuditEntrySchema), total: z.int() });
