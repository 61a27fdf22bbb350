import { channelTransports } from '../../../src/bots/channelTransports.js';
import { CloudPerson, FakeGraphApi, hubSignature, type GraphSend } from '../../support/fakeGraphApi.js';
import { startTestRelais, type TestRelais } from '../../support/testRelais.js';
import { inDigits, type DigitScript } from '../../support/walks.js';
import type { ChannelDriver, ChannelPerson, ChannelReply, Delivery, MediaSample } from '../channelDriver.js';
import { CONFORMANCE_ENV, expectRetryLater, httpDelivery, LinkedRelais, PostgresLink } from './driverSupport.js';

export const CLOUD_PHONE_NUMBER_ID = '106540352242922';
export const CLOUD_APP_SECRET = 'conformance-app-secret-0123456789';
export const CLOUD_TOKEN = 'EAAG-conformance-access-token-0123456789';
export const CLOUD_VERIFY_TOKEN = 'conformance-verify-token';

/** The Cloud API environment of a test Relais pointed at a fake Graph API. */
export function cloudEnv(api: FakeGraphApi): Record<string, string> {
  return {
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: CLOUD_PHONE_NUMBER_ID,
    WHATSAPP_CLOUD_ACCESS_TOKEN: CLOUD_TOKEN,
    WHATSAPP_CLOUD_APP_SECRET: CLOUD_APP_SECRET,
    WHATSAPP_CLOUD_VERIFY_TOKEN: CLOUD_VERIFY_TOKEN,
    WHATSAPP_CLOUD_GRAPH_URL: api.graphUrl,
    WHATSAPP_CLOUD_PER_CHAT_MS: '0',
  };
}

const RLM = '\u200f';
const CHOICE_LINE = /^\u200f?(\d+)\. (.*)$/;

export interface CloudReply extends ChannelReply {
  kind: 'button' | 'list' | 'text' | 'template';
  /** the ids of the buttons or rows, same order as `choices` */
  ids: string[];
}

/** The body and its trailing block of "N. label" lines, numbered from 1. */
function splitChoices(text: string): [string, string[]] {
  const at = text.lastIndexOf('\n\n');
  if (at < 0) return [text, []];
  const lines = text.slice(at + 2).split('\n');
  const numbered = lines.every((line, i) => CHOICE_LINE.exec(line)?.[1] === String(i + 1));
  return numbered ? [text.slice(0, at), lines] : [text, []];
}

function direction(lines: string[]): 'rtl' | 'ltr' {
  const marked = lines.filter((line) => line.startsWith(RLM)).length;
  if (marked !== 0 && marked !== lines.length) throw new Error('choices only partly marked right to left');
  return marked > 0 ? 'rtl' : 'ltr';
}

/** A message as the person's WhatsApp shows it: reply buttons, a list, a text or a template. */
export function toCloudReply(send: GraphSend): CloudReply {
  const body = send.body;
  if (body.type === 'interactive') {
    const interactive = body.interactive as {
      type: string;
      body: { text: string };
      action: {
        buttons?: Array<{ reply: { id: string; title: string } }>;
        sections?: Array<{ rows: Array<{ id: string; title: string }> }>;
      };
    };
    const items =
      interactive.type === 'button'
        ? (interactive.action.buttons ?? []).map((b) => b.reply)
        : (interactive.action.sections ?? []).flatMap((s) => s.rows);
    const [text, lines] = splitChoices(interactive.body.text);
    // a title cut to the platform's limit: the full labels are numbered in the body
    const choices =
      lines.length === items.length ? lines.map((l) => CHOICE_LINE.exec(l)?.[2] ?? '') : items.map((i) => i.title);
    return {
      kind: interactive.type === 'button' ? 'button' : 'list',
      text,
      choices,
      ids: items.map((i) => i.id),
      direction: 'app',
    };
  }
  if (body.type === 'template') {
    const template = body.template as { components?: Array<{ parameters: Array<{ text: string }> }> };
    const text = template.components?.[0]?.parameters[0]?.text ?? '';
    return { kind: 'template', text, choices: [], ids: [], direction: 'ltr' };
  }
  const text = (body.text as { body: string }).body;
  const [message, lines] = splitChoices(text);
  return {
    kind: 'text',
    text: message,
    choices: lines.map((l) => CHOICE_LINE.exec(l)?.[2] ?? ''),
    ids: [],
    direction: direction(lines),
  };
}

/** A WhatsApp account on the Cloud API: webhook bodies signed as Meta signs them. */
export class CloudPhone implements ChannelPerson {
  private last: string | undefined;

  constructor(
    private readonly driver: WhatsAppCloudDriver,
    readonly person: CloudPerson,
    private readonly digits: DigitScript,
  ) {}

  get platformId(): string {
    return this.person.address;
  }

  send(messages: unknown[]): Promise<Delivery> {
    this.last = JSON.stringify(this.person.webhook(messages));
    return this.driver.post(this.last);
  }

  start(greeting: string): Promise<Delivery> {
    return this.type(greeting);
  }

  type(text: string): Promise<Delivery> {
    return this.send([this.person.text(text)]);
  }

  async tap(label: string): Promise<Delivery> {
    const shown = (await this.replies()).findLast((r) => r.choices.length > 0) as CloudReply | undefined;
    const index = shown?.choices.indexOf(label) ?? -1;
    if (!shown || index < 0) throw new Error(`no choice "${label}" in: ${shown?.choices.join(' | ') ?? 'none'}`);
    const id = shown.ids[index] ?? '';
    if (shown.kind === 'button') return this.send([this.person.buttonReply(id, label.slice(0, 20))]);
    if (shown.kind === 'list') return this.send([this.person.listReply(id, label.slice(0, 24))]);
    return this.type(inDigits(String(index + 1), this.digits));
  }

  async replayLast(times: number, options: { concurrently?: boolean } = {}): Promise<Delivery[]> {
    const raw = this.last;
    if (raw === undefined) throw new Error('nothing sent yet');
    if (options.concurrently) return Promise.all(Array.from({ length: times }, () => this.driver.post(raw)));
    const deliveries: Delivery[] = [];
    for (let i = 0; i < times; i++) deliveries.push(await this.driver.post(raw));
    return deliveries;
  }

  redeliver(): Promise<Delivery> {
    if (this.last === undefined) throw new Error('nothing sent yet');
    return this.driver.post(this.last);
  }

  async replies(): Promise<CloudReply[]> {
    return this.driver.api.sentTo(this.person.address).map(toCloudReply);
  }
}

function own(person: ChannelPerson): CloudPhone {
  if (!(person instanceof CloudPhone)) throw new Error('not a WhatsApp Cloud person');
  return person;
}

/** WhatsApp Business Platform: signed webhooks in, a fake Graph API receiving the replies. */
export class WhatsAppCloudDriver extends LinkedRelais implements ChannelDriver {
  readonly channel = 'WHATSAPP_CLOUD' as const;
  readonly name = 'WhatsApp Cloud API (signed webhook, fake Graph API)';
  /** up to 10 choices are reply buttons or a list: no numbered text, no number hint */
  readonly numberedChoices = false;
  private nextNumber = 447_700_920_001;

  private constructor(
    t: TestRelais,
    readonly api: FakeGraphApi,
    link: PostgresLink,
  ) {
    super(t, link);
  }

  static async start(): Promise<WhatsAppCloudDriver> {
    const api = await new FakeGraphApi(CLOUD_TOKEN).start();
    const link = await PostgresLink.open();
    const env = { ...CONFORMANCE_ENV, ...cloudEnv(api) };
    const t = await startTestRelais('conf_wacloud', env, { transports: channelTransports, databaseUrl: link.via });
    return new WhatsAppCloudDriver(t, api, link);
  }

  post(raw: string, signature: string | null = hubSignature(raw, CLOUD_APP_SECRET)): Promise<Delivery> {
    const headers = {
      'content-type': 'application/json',
      ...(signature === null ? {} : { 'x-hub-signature-256': signature }),
    };
    return this.relais.app
      .inject({ method: 'POST', url: '/whatsapp-cloud/webhook', payload: raw, headers })
      .then(httpDelivery);
  }

  person(options: { digits?: DigitScript }): CloudPhone {
    const number = String(this.nextNumber++);
    const person = new CloudPerson(number, `GB.${number}0${this.nextNumber}`, CLOUD_PHONE_NUMBER_ID);
    return new CloudPhone(this, person, options.digits ?? 'latin');
  }

  /** the Cloud API says nothing of the phone's language: first contact is in the default language */
  firstContactLanguage(): string {
    return this.t.config.DEFAULT_LANGUAGE;
  }

  readonly accepted = (d: Delivery) => d.status === 200;

  async sendMalformed(): Promise<Array<{ delivery: Delivery; expected: number }>> {
    const person = new CloudPerson('447700929999', undefined, CLOUD_PHONE_NUMBER_ID);
    const noId = { ...person.text('x'), id: undefined };
    const bodies: unknown[] = [
      {},
      { object: 'page', entry: [] },
      { object: 'whatsapp_business_account', entry: 'x' },
      person.webhook([noId]),
      person.webhook([{ ...person.text('x'), timestamp: 'yesterday' }]),
      [],
      'text',
    ];
    const answers = [];
    for (const body of bodies) answers.push({ delivery: await this.post(JSON.stringify(body)), expected: 400 });
    answers.push({ delivery: await this.post('{"object":'), expected: 400 });
    return answers;
  }

  readonly media: readonly MediaSample[] = [
    { name: 'a photo', mediaType: 'photo', send: (p) => own(p).send([own(p).person.image()]) },
    { name: 'a voice message', mediaType: 'voice', send: (p) => own(p).send([own(p).person.voice()]) },
  ];

  /** Meta keeps the batch and delivers it again after a 5xx. */
  async awaitRetrySignal(d: Delivery): Promise<void> {
    expectRetryLater(d);
  }

  async redeliverAfterOutage(person: ChannelPerson): Promise<void> {
    const again = await own(person).redeliver();
    if (again.status !== 200) throw new Error(`the redelivered webhook answered ${again.status}`);
  }

  secretIdsOf(person: ChannelPerson): string[] {
    const phone = own(person).person;
    return [phone.waId, ...(phone.userId ? [phone.userId] : [])];
  }

  override async close(): Promise<void> {
    await super.close();
    await this.api.close();
  }
}
