import { z } from 'zod';
import type { Config } from '../config.js';
import type { Db, Tx } from '../db.js';
import type { I18n } from '../i18n/i18n.js';
import { avoidedImpact } from '../impact/impactFactors.js';
import { claimOnce } from '../idempotency/claimOnce.js';
import type { DispatchableMessage } from '../outbound/outboxDispatcher.js';
import { queueMessageToContact } from '../outbound/queueMessageToContact.js';
import type { Secrets } from '../secrets.js';
import { RECEIPT_LINK_DAYS, receiptUrl } from './receiptLink.js';
import { QUEUES } from '../queue/queueConnection.js';
import { DONOR_MILESTONES, PLEDGE_TASKS, type DonorMilestone } from './pledgeService.js';
import { lockPledge } from './pledgeSql.js';

/** The data of a queued donor-update task (ids and counts only). */
export const milestoneData = z.object({
  pledgeId: z.string().uuid(),
  milestone: z.enum(DONOR_MILESTONES),
  count: z.number().int().min(0).optional(),
});

/** Milestones whose message carries the link to the receipt: received, then wiped (certificates added). */
const RECEIPT_MILESTONES: ReadonlySet<DonorMilestone> = new Set(['collected', 'processed']);

/** Certificate references listed in one message; the receipt has them all. */
const CERTIFICATES_SHOWN = 5;

function pickupDate(at: Date | null, language: string, timeZone: string): string {
  if (!at) return '—';
  return new Intl.DateTimeFormat(language, {
    calendar: 'gregory',
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
  }).format(at);
}

type MilestoneInput = { pledgeId: string; milestone: DonorMilestone; count?: number };

const milestoneRank = (m: MilestoneInput): number => DONOR_MILESTONES.indexOf(m.milestone);
const sameMilestone = (a: MilestoneInput, b: MilestoneInput): boolean =>
  a.milestone === b.milestone && (a.count ?? null) === (b.count ?? null);

/**
 * Milestones of one pledge still queued up to and including `input`, oldest first: tasks run
 * several at a time, so "collected" may be picked before "scheduled"; whichever runs first
 * sends the earlier ones first (each at most once), so the donor reads them in order.
 */
async function milestonesUpTo(tx: Tx, input: MilestoneInput): Promise<MilestoneInput[]> {
  const rows = await tx.outboxJob.findMany({
    where: {
      queue: QUEUES.tasks,
      name: PLEDGE_TASKS.donorUpdate,
      data: { path: ['pledgeId'], equals: input.pledgeId },
    },
    select: { data: true, createdAt: true },
  });
  const queued = rows
    .flatMap((row) => {
      const parsed = milestoneData.safeParse(row.data);
      return parsed.success ? [{ at: row.createdAt.getTime(), input: parsed.data }] : [];
    })
    .sort(
      (a, b) =>
        a.at - b.at || milestoneRank(a.input) - milestoneRank(b.input) || (a.input.count ?? 0) - (b.input.count ?? 0),
    )
    .map((q) => q.input);
  const mine = queued.findIndex((q) => sameMilestone(q, input));
  return mine === -1 ? [input] : queued.slice(0, mine + 1);
}

/**
 * Tells a donor what became of their gift at one milestone, in their language: pickup date,
 * received, wiped (certificate references), handed over (a count), closed (impact). Never a
 * beneficiary's identity: only counts leave this function. Once received (and again once wiped,
 * with the certificates), the message links to the receipt (when PUBLIC_URL is set). Sent at most once per milestone
 * (and count), and not at all when the donor opted out, paused or was erased. The pledge row
 * is locked, and earlier milestones not sent yet go first, so the donor reads them in order.
 */
export async function sendDonorUpdate(
  db: Db,
  deps: { i18n: I18n; secrets: Secrets; config: Pick<Config, 'TIME_ZONE' | 'PUBLIC_URL'> },
  input: MilestoneInput,
): Promise<{ outcome: string; messages: DispatchableMessage[] }> {
  return db.$transaction(async (tx) => {
    await lockPledge(tx, input.pledgeId);
    const pledge = await tx.pledge.findUnique({
      where: { id: input.pledgeId },
      select: {
        reference: true,
        scheduledAt: true,
        refurbisher: true,
        sponsorAmountCents: true,
        contactId: true,
        contact: { select: { status: true, language: true, donorUpdates: true } },
      },
    });
    if (!pledge) return { outcome: 'pledge gone', messages: [] };
    const { contact, contactId } = pledge;
    if (!contactId || !contact || contact.status !== 'ACTIVE') return { outcome: 'donor not reachable', messages: [] };
    if (!contact.donorUpdates) return { outcome: 'donor opted out', messages: [] };
    const language = contact.language ?? 'fr';
    const messages: DispatchableMessage[] = [];
    let outcome = 'already sent';
    for (const step of await milestonesUpTo(tx, input)) {
      if (
        !(await claimOnce(
          tx,
          `donor-update:${step.pledgeId}:${step.milestone}${step.count !== undefined ? `:${step.count}` : ''}`,
        ))
      )
        continue;
      const link = RECEIPT_MILESTONES.has(step.milestone)
        ? receiptUrl(deps.config.PUBLIC_URL, deps.secrets, step.pledgeId, new Date())
        : undefined;
      const text = [
        deps.i18n.t(
          language,
          `donor:update_${step.milestone}`,
          await milestoneParams(tx, deps, pledge, language, step),
        ),
        ...(link ? [deps.i18n.t(language, 'donor:receipt_link', { url: link, days: RECEIPT_LINK_DAYS })] : []),
        deps.i18n.t(language, 'donor:updates_footer'),
      ].join('\n\n');
      const message = await queueMessageToContact(tx, {
        contactId,
        content: { text, ...(deps.i18n.isRtl(language) ? { rtl: true } : {}) },
      });
      if (message) messages.push(message);
      if (sameMilestone(step, input)) outcome = message ? 'sent' : 'donor not reachable';
    }
    return { outcome, messages };
  });
}

async function milestoneParams(
  tx: Tx,
  deps: { config: Pick<Config, 'TIME_ZONE'> },
  pledge: {
    reference: string;
    scheduledAt: Date | null;
    refurbisher: string | null;
    sponsorAmountCents: number | null;
  },
  language: string,
  input: MilestoneInput,
): Promise<Record<string, string | number>> {
  const params: Record<string, string | number> = { reference: pledge.reference };
  if (input.milestone === 'scheduled') {
    params.date = pickupDate(pledge.scheduledAt, language, deps.config.TIME_ZONE);
    params.refurbisher = pledge.refurbisher ?? '—';
  }
  if (input.milestone === 'processed') {
    const devices = await tx.device.findMany({
      where: { pledgeId: input.pledgeId, erasureCertificate: { not: null } },
      select: { erasureCertificate: true },
      orderBy: { createdAt: 'asc' },
    });
    const certificates = [...new Set(devices.flatMap((d) => (d.erasureCertificate ? [d.erasureCertificate] : [])))];
    params.count = devices.length;
    params.certificates =
      certificates.slice(0, CERTIFICATES_SHOWN).join(', ') + (certificates.length > CERTIFICATES_SHOWN ? ' …' : '');
  }
  if (input.milestone === 'handed_over') params.count = input.count ?? 0;
  if (input.milestone === 'closed') {
    const handedOver = await tx.device.groupBy({
      by: ['kind'],
      where: { pledgeId: input.pledgeId, status: 'HANDED_OVER' },
      _count: { _all: true },
    });
    const byKind = Object.fromEntries(handedOver.map((g) => [g.kind, g._count._all]));
    const impact = avoidedImpact(byKind);
    params.count = handedOver.reduce((s, g) => s + g._count._all, 0);
    params.kg = impact.wasteKg;
    params.co2 = impact.co2eKg;
  }
  if (input.milestone === 'sponsorship_received') params.amount = ((pledge.sponsorAmountCents ?? 0) / 100).toFixed(2);
  return params;
}
