import type { StaffRole } from '../../generated/prisma/enums.js';
import type { Db, Tx } from '../db.js';
import { Forbidden } from '../errors.js';

/** A volunteer, coordinator or admin acting from Slack (or another staff tool). */
export interface StaffActor {
  id: string;
  slackUserId: string;
  associationId: string;
  role: StaffRole;
  language: string;
}

/** The active staff member behind a Slack user id, or null for someone Relais does not know. */
export async function findStaffBySlackId(db: Db | Tx, slackUserId: string): Promise<StaffActor | null> {
  const staff = await db.staffMember.findUnique({
    where: { slackUserId },
    select: { id: true, slackUserId: true, associationId: true, role: true, language: true, active: true },
  });
  if (!staff?.active) return null;
  return {
    id: staff.id,
    slackUserId: staff.slackUserId,
    associationId: staff.associationId,
    role: staff.role,
    language: staff.language,
  };
}

/**
 * Whether a staff member may act on a request: their association's requests, and requests
 * still in triage (no association yet, seen by everyone in the triage channel). Admins act
 * everywhere.
 */
export function canActOnRequest(staff: StaffActor, request: { associationId: string | null }): boolean {
  if (staff.role === 'ADMIN') return true;
  return request.associationId === null || request.associationId === staff.associationId;
}

export function assertCanActOnRequest(staff: StaffActor, request: { associationId: string | null }): void {
  if (!canActOnRequest(staff, request)) throw new Forbidden('this request belongs to another association');
}

/**
 * A one-time reconnection code moves a person's record to whoever types it: only coordinators
 * of the request's association (any coordinator while it is in triage) and admins issue one.
 * Volunteers may act on triage requests, but not hand someone else's record to a new phone.
 */
export function canIssueOneTimeCode(staff: StaffActor, request: { associationId: string | null }): boolean {
  if (staff.role === 'ADMIN') return true;
  if (staff.role !== 'COORDINATOR') return false;
  return request.associationId === null || request.associationId === staff.associationId;
}

/** Coordinators move their own association's requests and stock (and triage requests); admins move anything. */
export function canTransferFrom(staff: StaffActor, fromAssociationId: string | null): boolean {
  if (staff.role === 'ADMIN') return true;
  if (staff.role !== 'COORDINATOR') return false;
  return fromAssociationId === null || fromAssociationId === staff.associationId;
}

export function assertCanTransferFrom(staff: StaffActor, fromAssociationId: string | null): void {
  if (!canTransferFrom(staff, fromAssociationId))
    throw new Forbidden('only coordinators move requests and devices, from their own association');
}

/** Pledges (donors' gifts) are scheduled, received or cancelled by coordinators and admins only. */
export function canManagePledges(staff: StaffActor): boolean {
  return staff.role === 'COORDINATOR' || staff.role === 'ADMIN';
}

export function assertCanManagePledges(staff: StaffActor): void {
  if (!canManagePledges(staff)) throw new Forbidden('only coordinators schedule, receive or cancel pledges');
}

/**
 * Drop-off points are added and edited by coordinators (their association's) and admins
 * (any, network-wide ones included); volunteers only see them. Without a place: may add one.
 */
export function canManagePlace(staff: StaffActor, place?: { associationId: string | null }): boolean {
  if (staff.role === 'ADMIN') return true;
  if (staff.role !== 'COORDINATOR') return false;
  return place === undefined || place.associationId === staff.associationId;
}

export function assertCanManagePlace(staff: StaffActor, place?: { associationId: string | null }): void {
  if (!canManagePlace(staff, place))
    throw new Forbidden('only coordinators add or edit their association’s drop-off points');
}

/**
 * The receipt of a gift shows the donor's name: coordinators of the association the pledge is
 * routed to (any coordinator while it is routed to none, as for the other pledge actions) and
 * admins may share it.
 */
export function canShareReceipt(staff: StaffActor, pledge: { associationId: string | null }): boolean {
  if (staff.role === 'ADMIN') return true;
  if (staff.role !== 'COORDINATOR') return false;
  return pledge.associationId === null || pledge.associationId === staff.associationId;
}
