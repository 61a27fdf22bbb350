import { StaffRole } from '../../generated/prisma/enums.js';
import { recordAudit } from '../audit/auditTrail.js';

/** the staff roles, for adapters that read or offer one (they never import Prisma) */
export { StaffRole };
import type { Db, Tx } from '../db.js';
import { Forbidden, NotFound, RelaisError } from '../errors.js';
import type { StaffActor } from './staffAccess.js';
import type { StaffLanguage } from './staffI18n.js';

/** One member of an association's team, as coordinators see it. */
export interface TeamMember {
  id: string;
  slackUserId: string;
  displayName: string | null;
  associationId: string;
  role: StaffRole;
  language: string;
  active: boolean;
}

/** The Slack user is already an active member (of this association or another one). */
export class StaffAlreadyMember extends RelaisError {
  constructor(readonly otherAssociation: boolean) {
    super(
      otherAssociation ? 'RELAIS_STAFF_OTHER_ASSOCIATION' : 'RELAIS_STAFF_EXISTS',
      'this Slack user is already a staff member',
      409,
    );
  }
}

/** A coordinator or admin may not deactivate themselves or change their own role (no one locks a team out). */
export class StaffSelfChange extends RelaisError {
  constructor() {
    super('RELAIS_STAFF_SELF', 'staff members cannot change their own role or deactivate themselves', 409);
  }
}

/** Roles a manager may give: coordinators give volunteer or coordinator, admins any. */
export function assignableRoles(actor: StaffActor): StaffRole[] {
  return actor.role === 'ADMIN'
    ? ['VOLUNTEER', 'COORDINATOR', 'ADMIN']
    : actor.role === 'COORDINATOR'
      ? ['VOLUNTEER', 'COORDINATOR']
      : [];
}

/**
 * Who manages a team: coordinators their own association's (never an admin's row), admins
 * every association's. Volunteers manage no one. Without an association: may manage some team.
 */
export function canManageStaff(actor: StaffActor, target?: { associationId: string; role?: StaffRole }): boolean {
  if (actor.role === 'ADMIN') return true;
  if (actor.role !== 'COORDINATOR') return false;
  if (!target) return true;
  return target.associationId === actor.associationId && target.role !== 'ADMIN';
}

export function assertCanManageStaff(actor: StaffActor, target?: { associationId: string; role?: StaffRole }): void {
  if (!canManageStaff(actor, target)) throw new Forbidden('only coordinators manage their association’s team');
}

const select = {
  id: true,
  slackUserId: true,
  displayName: true,
  associationId: true,
  role: true,
  language: true,
  active: true,
} as const;

/** An association's team: active members first, then by role (coordinators first) and arrival. */
export async function listTeam(db: Db | Tx, associationId: string): Promise<TeamMember[]> {
  const rows = await db.staffMember.findMany({
    where: { associationId },
    select,
    orderBy: [{ active: 'desc' }, { role: 'desc' }, { createdAt: 'asc' }],
  });
  return rows;
}

export async function findTeamMember(db: Db | Tx, id: string): Promise<TeamMember | null> {
  return db.staffMember.findUnique({ where: { id }, select });
}

export interface NewTeamMember {
  slackUserId: string;
  associationId: string;
  role: StaffRole;
  language: StaffLanguage;
}

/** Who adds someone: a staff member from Slack, or a join request accepted by one (same actor, other action). */
type AddReason = 'added' | 'join_accepted';

/**
 * Adds a Slack user to an association's team, audited (`staff.created`, staff actor). A
 * deactivated member comes back (same row, so their history stays theirs) with the new role,
 * language and association; an active member is refused (`StaffAlreadyMember`).
 */
export async function addTeamMember(
  tx: Tx,
  actor: StaffActor,
  input: NewTeamMember,
  reason: AddReason = 'added',
): Promise<TeamMember> {
  assertCanManageStaff(actor, { associationId: input.associationId, role: input.role });
  if (!assignableRoles(actor).includes(input.role)) throw new Forbidden('this role is given by an admin');
  const association = await tx.association.findUnique({ where: { id: input.associationId }, select: { id: true } });
  if (!association) throw new NotFound('association');
  const existing = await tx.staffMember.findUnique({ where: { slackUserId: input.slackUserId }, select });
  if (existing?.active) throw new StaffAlreadyMember(existing.associationId !== input.associationId);
  const data = { associationId: input.associationId, role: input.role, language: input.language, active: true };
  const row = existing
    ? await tx.staffMember.update({ where: { id: existing.id }, data, select })
    : await tx.staffMember.create({ data: { ...data, slackUserId: input.slackUserId }, select });
  await recordAudit(tx, {
    actorType: 'STAFF',
    actorId: actor.id,
    action: existing ? 'staff.reactivated' : 'staff.created',
    entityType: 'StaffMember',
    entityId: row.id,
    associationId: row.associationId,
    data: { role: row.role, language: row.language, via: reason === 'join_accepted' ? 'join_request' : 'slack' },
  });
  return row;
}

/** Changes a member's role (audited `staff.updated` with the old and new role). */
export async function changeTeamRole(tx: Tx, actor: StaffActor, staffId: string, role: StaffRole): Promise<TeamMember> {
  const current = await findTeamMember(tx, staffId);
  if (!current) throw new NotFound('staff member');
  assertCanManageStaff(actor, current);
  if (!assignableRoles(actor).includes(role)) throw new Forbidden('this role is given by an admin');
  if (current.id === actor.id) throw new StaffSelfChange();
  if (current.role === role) return current;
  const row = await tx.staffMember.update({ where: { id: staffId }, data: { role }, select });
  await recordAudit(tx, {
    actorType: 'STAFF',
    actorId: actor.id,
    action: 'staff.updated',
    entityType: 'StaffMember',
    entityId: row.id,
    associationId: row.associationId,
    data: { fields: ['role'], from: current.role, role },
  });
  return row;
}

/**
 * Deactivates (or reactivates) a member: never deleted, so the audit trail still names who did
 * what; a deactivated member is refused by every Slack action from then on.
 */
export async function setTeamMemberActive(
  tx: Tx,
  actor: StaffActor,
  staffId: string,
  active: boolean,
): Promise<TeamMember> {
  const current = await findTeamMember(tx, staffId);
  if (!current) throw new NotFound('staff member');
  assertCanManageStaff(actor, current);
  if (current.id === actor.id) throw new StaffSelfChange();
  if (current.active === active) return current;
  const row = await tx.staffMember.update({ where: { id: staffId }, data: { active }, select });
  await recordAudit(tx, {
    actorType: 'STAFF',
    actorId: actor.id,
    action: active ? 'staff.reactivated' : 'staff.deactivated',
    entityType: 'StaffMember',
    entityId: row.id,
    associationId: row.associationId,
    data: { role: row.role },
  });
  return row;
}

/** Slack user ids of an association's active coordinators (who decide join requests). */
export async function coordinatorSlackIds(db: Db | Tx, associationId: string): Promise<string[]> {
  const rows = await db.staffMember.findMany({
    where: { associationId, role: 'COORDINATOR', active: true },
    select: { slackUserId: true },
  });
  return rows.map((r) => r.slackUserId);
}
