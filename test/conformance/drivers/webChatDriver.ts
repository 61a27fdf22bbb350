import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { startTestRelais, type TestRelais } from '../../support/testRelais.js';
import type { ChannelDriver, ChannelPerson, ChannelReply, Delivery, MediaSample } from '../channelDriver.js';
import { CONFORMANCE_ENV, expectRetryLater, httpDelivery, LinkedRelais, PostgresLink } from './driverSupport.js';

const historySchema = z.object({
  messages: z.array(
    z.object({
      seq: z.number(),
      from: z.enum(['person', 'relais']),
      text: z.string(),
      choices: z.array(z.object({ id: z.string(), label: z.string() })).optional(),
      rtl: z.boolean().optional(),
    }),
  ),
  next: z.number().optional(),
});
type Entry = z.infer<typeof historySchema>['messages'][number];

/** A browser session of the web chat page: it posts as the page does and polls the history for what follows. */
class WebChatSession implements ChannelPerson {
  readonly platformId = randomBytes(16).toString('base64url');
  private counter = 0;
  private last: Record<string, unknown> | undefined;
  /** what the page holds, by seq (a reply delivered late comes in below later entries) */
  private readonly received = new Map<number, Entry>();
  private next = 0;

  constructor(
    private readonly driver: WebChatDriver,
    private readonly appLanguage: string,
    readonly remoteAddress: string,
  ) {}

  /** A post of the page (a new client message id each time; a retry keeps it). */
  send(body: Record<string, unknown>): Promise<Delivery> {
    const clientMessageId = `msg${String(++this.counter).padStart(6, '0')}`;
    this.last = { sessionId: this.platformId, clientMessageId, ...body };
    return this.driver.post(this.last, this.remoteAddress);
  }

  start(): Promise<Delivery> {
    // the page sends the browser's language with its first post
    return this.send({ kind: 'start', language: this.appLanguage });
  }

  type(text: string): Promise<Delivery> {
    return this.send({ kind: 'text', text });
  }

  async tap(label: string): Promise<Delivery> {
    await this.replies();
    const shown = this.held().findLast((m) => m.from === 'relais' && m.choices !== undefined && m.choices.length > 0);
    const choice = shown?.choices?.find((c) => c.label === label);
    if (!choice)
      throw new Error(
        `no choice "${label}" in: ${shown?.choices?.map((c) => c.label).join(' | ') ?? 'no message with choices'}`,
      );
    return this.send({ kind: 'choice', choiceId: choice.id });
  }

  async replayLast(times: number, options: { concurrently?: boolean } = {}): Promise<Delivery[]> {
    const body = this.last;
    if (!body) throw new Error('nothing sent yet');
    if (options.concurrently)
      return Promise.all(Array.from({ length: times }, () => this.driver.post(body, this.remoteAddress)));
    const deliveries: Delivery[] = [];
    for (let i = 0; i < times; i++) deliveries.push(await this.driver.post(body, this.remoteAddress));
    return deliveries;
  }

  /** The page's retry of its last post (same client message id). */
  redeliver(): Promise<Delivery> {
    if (!this.last) throw new Error('nothing sent yet');
    return this.driver.post(this.last, this.remoteAddress);
  }

  private held(): Entry[] {
    return [...this.received.values()].sort((a, b) => a.seq - b.seq);
  }

  /** Polls like the page: from where the server said to go on (sensitive texts up to there are then erased). */
  async replies(): Promise<ChannelReply[]> {
    const headers = { 'x-relais-session': this.platformId };
    const response = await this.driver.relais.app.inject({
      method: 'GET',
      url: `/chat/api/messages?after=${this.next}`,
      headers,
    });
    if (response.statusCode !== 200) return this.shown();
    const history = historySchema.parse(response.json());
    for (const entry of history.messages) this.received.set(entry.seq, entry);
    this.next = history.next ?? this.next;
    return this.shown();
  }

  private shown(): ChannelReply[] {
    const replies = this.held().filter((m) => m.from === 'relais');
    return replies.map((m) => ({
      text: m.text,
      choices: (m.choices ?? []).map((c) => c.label),
      direction: m.rtl ? 'rtl' : 'ltr',
    }));
  }
}

function own(person: ChannelPerson): WebChatSession {
  if (!(person instanceof WebChatSession)) throw new Error('not a web chat session');
  return person;
}

/** The web chat through its real HTTP API (Fastify inject): POST /chat/api/messages, GET the history. */
export class WebChatDriver extends LinkedRelais implements ChannelDriver {
  readonly channel = 'WEB' as const;
  readonly name = 'web chat (HTTP API)';
  private addresses = 0;

  private constructor(t: TestRelais, link: PostgresLink) {
    super(t, link);
  }

  static async start(): Promise<WebChatDriver> {
    const link = await PostgresLink.open();
    const t = await startTestRelais(
      'conf_webchat',
      { ...CONFORMANCE_ENV, WEBCHAT_ENABLED: 'true' },
      { databaseUrl: link.via },
    );
    return new WebChatDriver(t, link);
  }

  post(body: unknown, remoteAddress: string): Promise<Delivery> {
    return this.relais.app
      .inject({
        method: 'POST',
        url: '/chat/api/messages',
        remoteAddress,
        payload: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      })
      .then(httpDelivery);
  }

  /** each session from its own address, as different people's phones (new sessions are capped per address) */
  person(options: { appLanguage: string }): WebChatSession {
    return new WebChatSession(this, options.appLanguage, `198.51.100.${++this.addresses}`);
  }

  /** choices are buttons of the page */
  readonly numberedChoices = false;

  firstContactLanguage(appLanguage: string): string {
    return appLanguage;
  }

  readonly accepted = (d: Delivery) => d.status === 202;

  async sendMalformed(): Promise<Array<{ delivery: Delivery; expected: number }>> {
    const session = this.person({ appLanguage: 'en' });
    const base = { sessionId: session.platformId };
    const answers = [];
    const bodies = [
      { kind: 'text', clientMessageId: 'm0000009' },
      { kind: 'text', text: '', clientMessageId: 'm0000010' },
      { kind: 'nope' },
      { kind: 'text', text: 'x'.repeat(5000), clientMessageId: 'm0000011' },
    ];
    for (const body of bodies)
      answers.push({ delivery: await this.post({ ...base, ...body }, session.remoteAddress), expected: 400 });
    const notJson = await this.relais.app.inject({
      method: 'POST',
      url: '/chat/api/messages',
      payload: 'not json',
      headers: { 'content-type': 'application/json' },
    });
    answers.push({ delivery: httpDelivery(notJson), expected: 400 });
    const shortSession = await this.relais.app.inject({
      method: 'GET',
      url: '/chat/api/messages',
      headers: { 'x-relais-session': 'short' },
    });
    answers.push({ delivery: httpDelivery(shortSession), expected: 400 });
    return answers;
  }

  /** The page has no way to send a file. */
  readonly media: readonly MediaSample[] = [];

  async sendUnsupportedFile(person: ChannelPerson): Promise<{ delivery: Delivery; expected: number }> {
    return { delivery: await own(person).send({ kind: 'attachment', mediaType: 'photo' }), expected: 400 };
  }

  /** The page keeps the post and sends it again with the same client message id. */
  async awaitRetrySignal(d: Delivery): Promise<void> {
    expectRetryLater(d);
  }

  async redeliverAfterOutage(person: ChannelPerson): Promise<void> {
    const again = await own(person).redeliver();
    if (again.status !== 202) throw new Error(`the retried post answered ${again.status}`);
  }

  secretIdsOf(person: ChannelPerson): string[] {
    return [person.platformId];
  }
}
