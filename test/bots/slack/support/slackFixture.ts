import type { RequestKind, Urgency } from '../../../../src/generated/prisma/enums.js';
import { channelTransports } from '../../../../src/bots/channelTransports.js';
import { resolveIdentity } from '../../../../src/core/contacts/contactService.js';
import { createRequest } from '../../../../src/core/requests/requestService.js';
import { prismaRunner } from '../../../../src/core/db/sqlRunner.js';
import { FakeChannel } from '../../../support/fakeChannel.js';
import { eventually, startTestRelais, type TestRelais } from '../../../support/testRelais.js';
import { FakeSlackApi } from './fakeSlackApi.js';
import { SlackRequester } from './slackRequests.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const CHANNEL_A = 'CASSOA0001';
export const CHANNEL_B = 'CASSOB0001';
export const TRIAGE = 'CTRIAGE001';
export const ALERTS = 'CALERTS001';
/** Slack user ids of the seeded staff */
export const STAFF = {
  volunteerA: 'UVOLA0001',
  coordinatorA: 'UCOOA0001',
  volunteerB: 'UVOLB0001',
  stranger: 'USTRANGER1',
} as const;

export interface Seed {
  associationA: string;
  associationB: string;
  staff: Record<'volunteerA' | 'coordinatorA' | 'volunteerB', string>;
  devicesA: string[];
}

export interface SlackFixture {
  t: TestRelais;
  fake: FakeSlackApi;
  slack: SlackRequester;
  people: FakeChannel;
  seed: Seed;
  /** a person who wrote from Telegram with this (phone-like) platform id, in this language */
  newPerson(platformId: string, language: string): Promise<string>;
  /** a request as the flows would create it; resolves once its card is in Slack */
  newRequest(input: {
    kind: RequestKind;
    contactId: string;
    associationId?: string | null;
    urgency?: Urgency;
    language?: string;
    details?: Record<string, string | number>;
    flaggedReason?: string;
  }): Promise<{ id: string; reference: string; channel: string; ts: string }>;
  close(): Promise<void>;
}

/** A running Relais with the Slack app in HTTP mode against a fake Web API, two associations, their staff and stock. */
export async function startSlackFixture(label: string, extraEnv: Record<string, string> = {}): Promise<SlackFixture> {
  const fake = new FakeSlackApi();
  await fake.start();
  const people = new FakeChannel('TELEGRAM');
  const t = await startTestRelais(
    label,
    {
      SLACK_MODE: 'http',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.url,
      SLACK_TRIAGE_CHANNEL: TRIAGE,
      SLACK_ALERTS_CHANNEL: ALERTS,
      DATABASE_POOL_MAX: '8',
      ...extraEnv,
    },
    { transports: async (core) => [...(await channelTransports(core)), people] },
  );
  const db = t.relais.db;
  const a = await db.association.create({
    data: { slug: 'utopia', name: 'Utopia 56 Calais', slackChannelId: CHANNEL_A },
  });
  const b = await db.association.create({
    data: { slug: 'auberge', name: 'Auberge des migrants', slackChannelId: CHANNEL_B },
  });
  const staff = {
    volunteerA: (
      await db.staffMember.create({
        data: { slackUserId: STAFF.volunteerA, associationId: a.id, role: 'VOLUNTEER', language: 'fr' },
      })
    ).id,
    coordinatorA: (
      await db.staffMember.create({
        data: { slackUserId: STAFF.coordinatorA, associationId: a.id, role: 'COORDINATOR', language: 'fr' },
      })
    ).id,
    volunteerB: (
      await db.staffMember.create({
        data: { slackUserId: STAFF.volunteerB, associationId: b.id, role: 'VOLUNTEER', language: 'en' },
      })
    ).id,
  };
  const devices = [
    { model: 'Fairphone 4', grade: 'A', imei: '356938035643809' },
    { model: 'Fairphone 4', grade: 'B', imei: '356938035643817' },
    { model: 'Samsung Galaxy A12', grade: 'B', imei: '490154203237518' },
  ];
  const devicesA: string[] = [];
  for (const d of devices)
    devicesA.push(
      (
        await db.device.create({
          data: { ...d, status: 'IN_STOCK', associationId: a.id, erasureCertificate: 'CERT-1' },
        })
      ).id,
    );
  await db.place.create({
    data: { name: 'Local Utopia', address: '12 rue des Prés, Calais', category: 'ASSOCIATION', associationId: a.id },
  });
  const slack = new SlackRequester(t.relais.app, SIGNING_SECRET, fake.responseUrl);

  return {
    t,
    fake,
    slack,
    people,
    seed: { associationA: a.id, associationB: b.id, staff, devicesA },
    async newPerson(platformId, language) {
      return db.$transaction(async (tx) => {
        const identity = await resolveIdentity(tx, t.relais.secrets, 'TELEGRAM', platformId);
        await tx.contact.update({ where: { id: identity.contactId }, data: { language, consentAt: new Date() } });
        return identity.contactId;
      });
    },
    async newRequest(input) {
      const { request, taskId } = await db.$transaction((tx) =>
        createRequest(prismaRunner(tx), {
          kind: input.kind,
          contactId: input.contactId,
          associationId: input.associationId ?? null,
          urgency: input.urgency ?? 'NORMAL',
          language: input.language ?? null,
          details: input.details ?? {},
          flaggedReason: input.flaggedReason ?? null,
        }),
      );
      await t.relais.dispatcher.dispatchJobs([taskId]);
      const posted = await eventually(async () => {
        const r = await db.request.findUnique({
          where: { id: request.id },
          select: { slackChannelId: true, slackTs: true },
        });
        return r?.slackChannelId && r.slackTs ? { channel: r.slackChannelId, ts: r.slackTs } : null;
      });
      return { id: request.id, reference: request.reference, ...posted };
    },
    async close() {
      await t.close();
      await fake.stop();
    },
  };
}

/** The last chat.update (or post) of a message, as Slack would show it now. */
export function lastRenderOf(fake: FakeSlackApi, channel: string, ts: string): Record<string, unknown> | undefined {
  const updates = fake.of('chat.update').filter((c) => c.args.channel === channel && c.args.ts === ts);
  return updates.at(-1)?.args;
}
