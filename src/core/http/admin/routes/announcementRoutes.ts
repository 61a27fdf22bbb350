import { z } from 'zod/v4';
import { NotFound } from '../../../errors.js';
import { AUDIENCE_CHANNELS } from '../../../announcements/announcementAudience.js';
import { announcementInputSchema, TEMPLATE_IDS } from '../../../announcements/announcementTemplates.js';
import {
  assertMayManage,
  cancelAnnouncement,
  createAnnouncement,
  readAnnouncement,
  type AnnouncementActor,
  type AnnouncementDeps,
} from '../../../announcements/announcementService.js';
import { apiActor } from '../adminAuth.js';
import { boundAssociationId } from '../associationBinding.js';
import { errorSchema, idParams, withNotFound } from '../adminSchemas.js';
import type { AdminRouteModule } from './adminRouteTypes.js';
import type { FastifyRequest } from 'fastify';

const counts = z.object({
  recipients: z.number().int().describe('people the announcement was written for when it started'),
  queued: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
  optedOut: z.number().int(),
  leftOut: z
    .number()
    .int()
    .describe('no text in their language, outside WhatsApp’s window, or unreachable when their turn came'),
  leftOutNoText: z.record(z.string(), z.number().int()),
  leftOutWhatsApp: z.number().int(),
  unreachable: z.number().int(),
});

const announcement = z
  .object({
    id: z.uuid(),
    number: z.number().int(),
    associationId: z.uuid().nullable(),
    status: z.enum(['SCHEDULED', 'SENDING', 'DONE', 'CANCELLED']),
    template: z.enum(TEMPLATE_IDS).nullable(),
    languages: z.array(z.string()).describe('languages of the free text (null template); all eight for a template'),
    params: z.record(z.string(), z.unknown()),
    audience: z.record(z.string(), z.unknown()),
    createdByType: z.string(),
    createdById: z.string().nullable(),
    sendAt: z.date(),
    startedAt: z.date().nullable(),
    finishedAt: z.date().nullable(),
    cancelledAt: z.date().nullable(),
    counts,
  })
  .meta({ id: 'Announcement' });

const preview = z.object({
  total: z.number().int(),
  byLanguage: z.record(z.string(), z.number().int()),
  byChannel: z.array(
    z.object({
      channel: z.string().describe(AUDIENCE_CHANNELS.join(', ')),
      people: z.number().int(),
      seconds: z.number().int().describe('about how long at the channel’s pace'),
    }),
  ),
  optedOut: z.number().int(),
  outsideWindow: z.number().int(),
  leftOutNoText: z.record(z.string(), z.number().int()),
});

const DEFAULTS: AnnouncementDeps['config'] = {
  TELEGRAM_RATE_GLOBAL_PER_SEC: 29,
  WHATSAPP_GLOBAL_PER_MINUTE: 12,
  ANNOUNCEMENT_WHATSAPP_WINDOW_DAYS: 14,
};
const tags = ['announcements'];

function actorOf(request: FastifyRequest): AnnouncementActor {
  return { ...apiActor(request), associationId: boundAssociationId(request) };
}

/**
 * One message to many people, each in their language (the same validation as `/relais
 * announce` in Slack). A bound token announces to its association's people only and sees
 * only its association's announcements.
 */
export const announcementRoutes: AdminRouteModule = async (app, { db, config, dispatcher }) => {
  const deps: AnnouncementDeps = { config: config ?? DEFAULTS };

  const view = async (id: string) => {
    const found = await readAnnouncement(db, id);
    if (!found) throw new NotFound('announcement');
    const { texts, slack: _slack, ...rest } = found;
    return { ...rest, languages: found.template ? [] : Object.keys(texts ?? {}) };
  };

  app.post(
    '/announcements',
    {
      schema: {
        tags,
        summary: 'Send or schedule an announcement',
        description:
          'A catalogue `template` with its `params` (place, date and time as in Paris, a short note shown as typed), ' +
          'or free `texts` keyed by language: people whose language has no text are left out and counted. ' +
          'Answers the counts per language and channel and the expected time per channel.',
        body: announcementInputSchema,
        response: { 201: z.object({ announcement, preview }), ...withNotFound, 409: errorSchema, 422: errorSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const created = await db.$transaction(
        (tx) => createAnnouncement(tx, deps, { ...request.body, sendAt: request.body.sendAt?.toISOString() }, actor),
        { timeout: 30_000 },
      );
      await dispatcher?.dispatchJobs(created.jobIds).catch(() => 0);
      const { reach: _reach, ...summary } = created.preview;
      return reply.status(201).send({ announcement: await view(created.id), preview: summary });
    },
  );

  app.get(
    '/announcements/:id',
    {
      schema: {
        tags,
        summary: 'An announcement and its progress',
        params: idParams,
        response: { 200: announcement, ...withNotFound },
      },
    },
    async (request) => {
      const row = await db.announcement.findUnique({
        where: { id: request.params.id },
        select: { associationId: true },
      });
      if (!row) throw new NotFound('announcement');
      assertMayManage(actorOf(request), row.associationId);
      return view(request.params.id);
    },
  );

  app.post(
    '/announcements/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel an announcement (what is not yet sent is not sent)',
        params: idParams,
        response: { 200: announcement, ...withNotFound, 409: errorSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const result = await db.$transaction((tx) => cancelAnnouncement(tx, request.params.id, actor));
      await dispatcher?.dispatchJobs(result.jobIds).catch(() => 0);
      return view(request.params.id);
    },
  );
};
