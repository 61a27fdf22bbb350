import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call to `POST /<phone number id>/messages`, as the fake received it. */
export interface GraphSend {
  phoneNumberId: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
  status: number;
  /** the wamid answered for a accepted send */
  messageId?: string;
  at: number;
}

/** A Graph API error as Meta answers it (`{ error: { message, type, code, error_subcode, fbtrace_id } }`). */
export interface GraphFailure {
  httpStatus: number;
  code: number;
  message: string;
  type?: string;
  subcode?: number;
}

export const RATE_LIMITED: GraphFailure = {
  httpStatus: 400,
  code: 130429,
  message: '(#130429) Rate limit hit',
  type: 'OAuthException',
};
export const TOKEN_EXPIRED: GraphFailure = {
  httpStatus: 401,
  code: 190,
  subcode: 463,
  message: 'Error validating access token: Session has expired.',
  type: 'OAuthException',
};

/**
 * A stand-in for Meta's Graph API on 127.0.0.1 (random port): answers sends like the Cloud API
 * (`{ messaging_product, contacts: [{ input, wa_id }], messages: [{ id: "wamid…" }] }`) or with
 * the failures a test scripts. Point Relais at it with `WHATSAPP_CLOUD_GRAPH_URL=fake.graphUrl`.
 */
export class FakeGraphApi {
  readonly sends: GraphSend[] = [];
  /** `to`: only sends to that person fail (a late send to someone else does not use the failure up) */
  private readonly failures: Array<{ times: number; failure: GraphFailure; to?: string }> = [];
  private server: Server | undefined;
  graphUrl = '';

  constructor(readonly accessToken: string) {}

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      void this.handle(request).then(({ status, body }) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.graphUrl = `http://127.0.0.1:${port}/v26.0`;
    return this;
  }

  /** the next `times` sends get `failure` */
  failNext(failure: GraphFailure, times = 1, to?: string): void {
    this.failures.push({ times, failure, ...(to === undefined ? {} : { to }) });
  }

  /** accepted sends to one person (`to` a WhatsApp id, or `recipient` a business-scoped user id) */
  sentTo(address: string): GraphSend[] {
    return this.sends.filter((s) => s.status === 200 && (s.body.to === address || s.body.recipient === address));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(request: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const match = /^\/v\d+\.\d+\/(\d+)\/messages$/.exec(request.url ?? '');
    if (request.method !== 'POST' || !match?.[1])
      return { status: 404, body: graphError(100, 'Unknown path', 'GraphMethodException') };
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    const send: GraphSend = {
      phoneNumberId: match[1],
      authorization: request.headers.authorization,
      body,
      status: 200,
      at: Date.now(),
    };
    this.sends.push(send);
    const failure = this.failures.find((f) => f.to === undefined || f.to === body.to || f.to === body.recipient);
    if (request.headers.authorization !== `Bearer ${this.accessToken}`) {
      send.status = TOKEN_EXPIRED.httpStatus;
      return {
        status: send.status,
        body: graphError(TOKEN_EXPIRED.code, TOKEN_EXPIRED.message, 'OAuthException', 463),
      };
    }
    if (failure) {
      if (--failure.times <= 0) this.failures.splice(this.failures.indexOf(failure), 1);
      const { httpStatus, code, message, type, subcode } = failure.failure;
      send.status = httpStatus;
      return { status: httpStatus, body: graphError(code, message, type ?? 'OAuthException', subcode) };
    }
    if (body.messaging_product !== 'whatsapp' || (body.to === undefined && body.recipient === undefined)) {
      send.status = 400;
      return { status: 400, body: graphError(100, 'Invalid parameter', 'OAuthException') };
    }
    send.messageId = `wamid.${randomBytes(18).toString('base64url')}`;
    const input = String(body.to ?? body.recipient);
    return {
      status: 200,
      body: { messaging_product: 'whatsapp', contacts: [{ input, wa_id: input }], messages: [{ id: send.messageId }] },
    };
  }
}

function graphError(code: number, message: string, type: string, subcode?: number) {
  return {
    error: {
      message,
      type,
      code,
      ...(subcode ? { error_subcode: subcode } : {}),
      fbtrace_id: randomBytes(8).toString('hex'),
    },
  };
}

/** `X-Hub-Signature-256` of a body, as Meta signs it with the app secret. */
export function hubSignature(rawBody: string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

let messageCounter = 0;

/** A person on WhatsApp, building the webhook bodies Meta sends for what they do. */
export class CloudPerson {
  constructor(
    readonly waId: string,
    readonly userId: string | undefined,
    readonly phoneNumberId: string,
    readonly name = 'Amina',
  ) {}

  /** the id Relais sends to: the business-scoped user id when Meta gives one */
  get address(): string {
    return this.userId ?? this.waId;
  }

  private message(type: string, fields: Record<string, unknown>) {
    messageCounter++;
    return {
      from: this.waId,
      ...(this.userId ? { from_user_id: this.userId } : {}),
      id: `wamid.HBgM${this.waId}FQIAEhgU${messageCounter.toString(16).padStart(20, '0')}`,
      timestamp: String(Math.floor(Date.now() / 1000)),
      type,
      ...fields,
    };
  }

  text(body: string) {
    return this.message('text', { text: { body } });
  }

  buttonReply(id: string, title: string) {
    return this.message('interactive', { interactive: { type: 'button_reply', button_reply: { id, title } } });
  }

  listReply(id: string, title: string) {
    return this.message('interactive', {
      interactive: { type: 'list_reply', list_reply: { id, title, description: '' } },
    });
  }

  location(latitude: number, longitude: number) {
    return this.message('location', { location: { latitude, longitude, name: 'Gare du Nord', address: 'Paris' } });
  }

  sharedContact() {
    return this.message('contacts', {
      contacts: [
        {
          name: { formatted_name: 'Sara', first_name: 'Sara' },
          phones: [{ phone: '+33 6 12 34 56 78', type: 'CELL', wa_id: '33612345678' }],
        },
      ],
    });
  }

  image() {
    return this.message('image', { image: { mime_type: 'image/jpeg', sha256: 'abc=', id: '1234567890123456' } });
  }

  voice() {
    return this.message('audio', {
      audio: { mime_type: 'audio/ogg; codecs=opus', sha256: 'def=', id: '2234567890123456', voice: true },
    });
  }

  reaction(messageId: string) {
    return this.message('reaction', { reaction: { message_id: messageId, emoji: '👍' } });
  }

  /** the webhook body Meta posts for these messages */
  webhook(messages: unknown[], statuses: unknown[] = []) {
    return cloudWebhook(this.phoneNumberId, {
      contacts: [{ profile: { name: this.name }, wa_id: this.waId, ...(this.userId ? { user_id: this.userId } : {}) }],
      ...(messages.length > 0 ? { messages } : {}),
      ...(statuses.length > 0 ? { statuses } : {}),
    });
  }

  /** a status Meta reports for a message Relais sent this person */
  status(messageId: string, status: 'sent' | 'delivered' | 'read' | 'failed', errorCode?: number) {
    return {
      id: messageId,
      status,
      timestamp: String(Math.floor(Date.now() / 1000)),
      recipient_id: this.waId,
      ...(this.userId ? { recipient_user_id: this.userId } : {}),
      ...(status === 'failed'
        ? {
            errors: [
              {
                code: errorCode ?? 131026,
                title: 'Message undeliverable',
                message: 'Message undeliverable',
                error_data: { details: 'Message Undeliverable.' },
              },
            ],
          }
        : { pricing: { billable: true, pricing_model: 'PMP', category: 'service', type: 'free_customer_service' } }),
    };
  }
}

/** `{ object: 'whatsapp_business_account', entry: [{ id, changes: [{ value, field: 'messages' }] }] }` */
export function cloudWebhook(phoneNumberId: string, value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
              ...value,
            },
            field: 'messages',
          },
        ],
      },
    ],
  };
}
