import type { JoinRequestStatus } from '../../generated/prisma/enums.js';
import { recordAudit } from '../audit/auditTrail.js';
import type { Db, Tx } from '../db.js';
import { NotFound, RelaisError } from '../errors.js';
import type { StaffActor } from './staffAccess.js';
import { addTeamMember, assertCanManageStaff, StaffAlreadyMember, type TeamMember } from './staffDirectory.js';
import type { StaffLanguage } from './staffI18n.js';

export interface JoinRequest {
  id: string;
  slackUserId: string;
  associationId: string;
  associationName: string;
  associationChannelId: string | null;
  language: string;
  status: JoinRequestStatus;
}

/** Another coordinator accepted or declined this request first. */
export class JoinRequestDecided extends RelaisError {
  constructor() {
    super('RELAIS_JOIN_DECIDED', 'this join request was already answered', 409);
  }
}

/** The association takes no join request (inactive, or no Slack channel where its coordinators would see it). */
export class AssociationClosedToJoin extends RelaisError {
  constructor() {
    super('RELAIS_JOIN_CLOSED', 'this association takes no join request', 409);
  }
}

const select = {
  id: true,
  slackUserId: true,
  associationId: true,
  language: true,
  status: true,
  association: { select: { name: true, slackChannelId: true } },
} as const;

type Row = { association: { name: string; slackChannelId: string | null } } & Omit<
  JoinRequest,
  'associationName' | 'associationChannelId'
>;
const toRequest = ({ association, ...row }: Row): JoinRequest => ({
  ...row,
  associationName: association.name,
  associationChannelId: association.slackChannelId,
});

/** Associations a newcomer may ask to join: active, with a channel where their coordinators read the request. */
export async function joinableAssociations(
  db: Db | Tx,
): Promise<Array<{ id: string; name: string; city: string | null }>> {
  return db.association.findMany({
    where: { active: true, slackChannelId: { not: null } },
    select: { id: true, name: true, city: true },
    orderBy: { name: 'asc' },
    take: 100,
  });
}

/**
 * A Slack user who is not staff asks to join an association (audited `staff.join_requested`,
 * system actor: the requester is nobody's staff yet). One pending request per person and
 * association: asking again answers the pending one with `announce: false` (true again while
 * its message was never posted, so that it is posted then).
 */
/** {@link requestToJoin} in a transaction of its own */
export function requestToJoinNow(
  db: Db,
  input: { slackUserId: string; associationId: string; language: StaffLanguage },
): Promise<{ request: JoinRequest; announce: boolean }> {
  return db.$transaction((tx) => requestToJoin(tx, input));
}

export async function requestToJoin(
  tx: Tx,
  input: { slackUserId: string; associationId: string; language: StaffLanguage },
): Promise<{ request: JoinRequest; announce: boolean }> {
  const staff = await tx.staffMember.findUnique({
    where: { slackUserId: input.slackUserId },
    select: { active: true, associationId: true },
  });
  if (staff?.active) throw new StaffAlreadyMember(staff.associationId !== input.associationId);
  const association = await tx.association.findUnique({
    where: { id: input.associationId },
    select: { active: true, slackChannelId: true },
  });
  if (!association) throw new NotFound('association');
  if (!association.active || !association.slackChannelId) throw new AssociationClosedToJoin();
  const pending = await tx.staffJoinRequest.findFirst({
    where: { slackUserId: input.slackUserId, associationId: input.associationId, status: 'PENDING' },
    select,
  });
  if (pending) {
    // a request whose message never reached the channel (Relais not invited yet) is posted again
    const posted = await tx.staffJoinRequest.count({ where: { id: pending.id, slackTs: { not: null } } });
    return { request: toRequest(pending), announce: posted === 0 };
  }
  const row = await tx.staffJoinRequest.create({ data: input, select });
  await recordAudit(tx, {
    actorType: 'SYSTEM',
    action: 'staff.join_requested',
    entityType: 'StaffJoinRequest',
    entityId: row.id,
    associationId: row.associationId,
    data: { language: row.language },
  });
  return { request: toRequest(row), announce: true };
}

/** Remembers the message with Accept / Decline, to update it once someone decides. */
export async function recordJoinRequestMessage(
  db: Db,
  id: string,
  message: { channelId: string; ts: string },
): Promise<void> {
  await db.staffJoinRequest.update({ where: { id }, data: { slackChannelId: message.channelId, slackTs: message.ts } });
}

export async function findJoinRequest(
  db: Db | Tx,
  id: string,
): Promise<(JoinRequest & { slackChannelId: string | null; slackTs: string | null }) | null> {
  const row = await db.staffJoinRequest.findUnique({
    where: { id },
    select: { ...select, slackChannelId: true, slackTs: true },
  });
  return row ? { ...toRequest(row), slackChannelId: row.slackChannelId, slackTs: row.slackTs } : null;
}

/**
 * A coordinator of the association (or an admin) accepts or declines a join request, once:
 * the first decision wins (`JoinRequestDecided` for the second). Accepting adds the requester
 * as a volunteer in the language they asked in. Audited `staff.join_accepted` / `_declined`.
 */
export async function decideJoinRequest(
  tx: Tx,
  actor: StaffActor,
  id: string,
  accept: boolean,
): Promise<{ request: JoinRequest; member: TeamMember | null }> {
  const current = await tx.staffJoinRequest.findUnique({ where: { id }, select });
  if (!current) throw new NotFound('join request');
  assertCanManageStaff(actor, { associationId: current.associationId });
  const claimed = await tx.staffJoinRequest.updateMany({
    where: { id, status: 'PENDING' },
    data: { status: accept ? 'ACCEPTED' : 'DECLINED', decidedById: actor.id, decidedAt: new Date() },
  });
  if (claimed.count === 0) throw new JoinRequestDecided();
  const language: StaffLanguage = current.language === 'en' ? 'en' : 'fr';
  const member = accept
    ? await addTeamMember(
        tx,
        actor,
        { slackUserId: current.slackUserId, associationId: current.associationId, role: 'VOLUNTEER', language },
        'join_accepted',
      )
    : null;
  await recordAudit(tx, {
    actorType: 'STAFF',
    actorId: actor.id,
    action: accept ? 'staff.join_accepted' : 'staff.join_declined',
    entityType: 'StaffJoinRequest',
    entityId: id,
    associationId: current.associationId,
    data: member ? { staffId: member.id } : {},
  });
  return { request: { ...toRequest(current), status: accept ? 'ACCEPTED' : 'DECLINED' }, member };
}
