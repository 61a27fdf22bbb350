import { recordAudit } from '../audit/auditTrail.js';
import type { Db, Tx } from '../db.js';
import { Forbidden, NotFound, RelaisError } from '../errors.js';
import type { StaffActor } from './staffAccess.js';

/** An association of the network, as admins manage it from Slack. */
export interface AssociationEntry {
  id: string;
  slug: string;
  name: string;
  city: string | null;
  department: string | null;
  slackChannelId: string | null;
  active: boolean;
}

export interface AssociationFields {
  name: string;
  city: string | null;
  department: string | null;
  slackChannelId: string | null;
  active: boolean;
}

/** Another association already posts in this Slack channel (requests would land in the wrong team). */
export class ChannelAlreadyUsed extends RelaisError {
  constructor() {
    super('RELAIS_CHANNEL_TAKEN', 'another association already uses this Slack channel', 409);
  }
}

/** Metropolitan (01–95, 2A, 2B) and overseas (971–976) départements. */
export const DEPARTMENT_PATTERN = /^(0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-6])$/;

const select = {
  id: true,
  slug: true,
  name: true,
  city: true,
  department: true,
  slackChannelId: true,
  active: true,
} as const;

export function assertAdmin(actor: StaffActor): void {
  if (actor.role !== 'ADMIN') throw new Forbidden('only admins manage associations');
}

/** Every association, active first, by name. */
export async function listAssociations(
  db: Db | Tx,
  options: { activeOnly?: boolean } = {},
): Promise<AssociationEntry[]> {
  return db.association.findMany({
    where: options.activeOnly ? { active: true } : {},
    select,
    orderBy: [{ active: 'desc' }, { name: 'asc' }],
  });
}

export async function findAssociation(db: Db | Tx, id: string): Promise<AssociationEntry | null> {
  return db.association.findUnique({ where: { id }, select });
}

/** "Auberge des Migrants" → "auberge-des-migrants" (the admin API's slug rule), made unique with -2, -3… */
async function freeSlug(tx: Tx, name: string): Promise<string> {
  const base =
    name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50) || 'association';
  const taken = new Set(
    (await tx.association.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } })).map(
      (a) => a.slug,
    ),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

async function assertChannelFree(tx: Tx, channelId: string | null, except?: string): Promise<void> {
  if (!channelId) return;
  const other = await tx.association.findFirst({
    where: { slackChannelId: channelId, ...(except ? { NOT: { id: except } } : {}) },
    select: { id: true },
  });
  if (other) throw new ChannelAlreadyUsed();
}

/** Creates an association (admins), audited `association.created` with a staff actor. */
export async function createAssociation(
  tx: Tx,
  actor: StaffActor,
  fields: AssociationFields,
): Promise<AssociationEntry> {
  assertAdmin(actor);
  await assertChannelFree(tx, fields.slackChannelId);
  const row = await tx.association.create({ data: { ...fields, slug: await freeSlug(tx, fields.name) }, select });
  await recordAudit(tx, {
    actorType: 'STAFF',
    actorId: actor.id,
    action: 'association.created',
    entityType: 'Association',
    entityId: row.id,
    associationId: row.id,
    data: { active: row.active },
  });
  return row;
}

/** Updates an association (admins), audited `association.updated` with the fields that changed. */
export async function updateAssociation(
  tx: Tx,
  actor: StaffActor,
  id: string,
  fields: AssociationFields,
): Promise<AssociationEntry> {
  assertAdmin(actor);
  const current = await findAssociation(tx, id);
  if (!current) throw new NotFound('association');
  await assertChannelFree(tx, fields.slackChannelId, id);
  const changed = (Object.keys(fields) as Array<keyof AssociationFields>).filter((k) => fields[k] !== current[k]);
  if (changed.length === 0) return current;
  const row = await tx.association.update({ where: { id }, data: fields, select });
  await recordAudit(tx, {
    actorType: 'STAFF',
    actorId: actor.id,
    action: 'association.updated',
    entityType: 'Association',
    entityId: row.id,
    associationId: row.id,
    data: { fields: changed, active: row.active },
  });
  return row;
}
