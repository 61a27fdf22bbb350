import { createHmac, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

export interface SlackResponse {
  statusCode: number;
  body: string;
  json(): Record<string, unknown>;
}

/**
 * Signs like Slack: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` (written here independently of the app's
 * checker).
 */
export function slackSignature(secret: string, body: string, timestamp: number): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

const id = (prefix: string) => `${prefix}${randomBytes(5).toString('hex').toUpperCase()}`;

/**
 * Plays Slack towards the running Fastify app: builds the payloads Slack sends (block
 * actions, view submissions, slash commands, Events API callbacks) and posts them signed,
 * with the raw body and headers Slack uses, through `inject`.
 */
export class SlackRequester {
  constructor(
    private readonly app: FastifyInstance,
    private readonly secret: string,
    /** where Slack would take a command's delayed answers (the fake Web API serves one) */
    private readonly responseUrl = 'https://hooks.slack.com/commands/T00000001/1/x',
  ) {}

  /** Posts a raw body; `sign: false` / a wrong secret / an old timestamp test the verification. */
  async post(
    body: string,
    contentType: string,
    options: {
      headers?: Record<string, string>;
      timestamp?: number;
      secret?: string;
      sign?: boolean;
      url?: string;
    } = {},
  ): Promise<SlackResponse> {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = { 'content-type': contentType, ...(options.headers ?? {}) };
    if (options.sign !== false) {
      headers['x-slack-request-timestamp'] = String(timestamp);
      headers['x-slack-signature'] = slackSignature(options.secret ?? this.secret, body, timestamp);
    }
    const response = await this.app.inject({
      method: 'POST',
      url: options.url ?? '/slack/events',
      payload: body,
      headers,
    });
    return {
      statusCode: response.statusCode,
      body: response.body,
      json: () => (response.body ? (JSON.parse(response.body) as Record<string, unknown>) : {}),
    };
  }

  interactivity(
    payload: Record<string, unknown>,
    options: Parameters<SlackRequester['post']>[2] = {},
  ): Promise<SlackResponse> {
    return this.post(`payload=${encodeURIComponent(JSON.stringify(payload))}`, 'application/x-www-form-urlencoded', {
      url: '/slack/actions',
      ...options,
    });
  }

  /** A click on a button (or an overflow/select choice) of a message in `channelId`, or of a modal. */
  blockAction(input: {
    userId: string;
    actionId: string;
    value?: string;
    selected?: string;
    channelId?: string;
    view?: { id: string; hash?: string; private_metadata?: string };
    triggerId?: string;
    ephemeral?: boolean;
  }): Promise<SlackResponse> {
    const action: Record<string, unknown> = {
      action_id: input.actionId,
      block_id: 'b1',
      action_ts: `${Date.now() / 1000}`,
    };
    if (input.value !== undefined) Object.assign(action, { type: 'button', value: input.value });
    if (input.selected !== undefined)
      Object.assign(action, {
        type: 'static_select',
        selected_option: { value: input.selected, text: { type: 'plain_text', text: input.selected } },
      });
    return this.interactivity({
      type: 'block_actions',
      team: { id: 'T00000001', domain: 'relais-test' },
      user: { id: input.userId, username: 'volunteer', team_id: 'T00000001' },
      api_app_id: 'A00000001',
      trigger_id: input.triggerId ?? id('TRIG'),
      ...(input.channelId
        ? {
            channel: { id: input.channelId, name: 'channel' },
            container: {
              type: 'message',
              channel_id: input.channelId,
              message_ts: '1.1',
              ...(input.ephemeral ? { is_ephemeral: true } : {}),
            },
          }
        : {}),
      // a click in a command's private answer comes with the response_url that replaces it
      ...(input.ephemeral ? { response_url: this.responseUrl } : {}),
      ...(input.view
        ? { view: { type: 'modal', hash: 'h', ...input.view }, container: { type: 'view', view_id: input.view.id } }
        : {}),
      actions: [action],
    });
  }

  /**
   * Submitting a modal: `values[block_id][action_id]` as Slack sends them. `private_metadata` is
   * the JSON the modal was opened with, or an empty string (what Slack sends) when it had none;
   * a string is sent as it is.
   */
  viewSubmission(input: {
    userId: string;
    callbackId: string;
    metadata?: Record<string, string> | string;
    values: Record<string, Record<string, Record<string, unknown>>>;
    viewId?: string;
  }): Promise<SlackResponse> {
    return this.interactivity({
      type: 'view_submission',
      team: { id: 'T00000001', domain: 'relais-test' },
      user: { id: input.userId, username: 'volunteer', team_id: 'T00000001' },
      api_app_id: 'A00000001',
      trigger_id: id('TRIG'),
      view: {
        id: input.viewId ?? id('V'),
        type: 'modal',
        callback_id: input.callbackId,
        private_metadata:
          typeof input.metadata === 'string' ? input.metadata : input.metadata ? JSON.stringify(input.metadata) : '',
        hash: 'h',
        state: { values: input.values },
      },
    });
  }

  /** A searching menu (external_select) of an open modal asking for its options as the user types. */
  blockSuggestion(input: {
    userId: string;
    blockId: string;
    actionId: string;
    value: string;
    callbackId: string;
  }): Promise<SlackResponse> {
    const viewId = id('V');
    return this.interactivity({
      type: 'block_suggestion',
      user: { id: input.userId, username: 'volunteer', name: 'volunteer', team_id: 'T00000001' },
      container: { type: 'view', view_id: viewId },
      api_app_id: 'A00000001',
      token: 'deprecated',
      action_id: input.actionId,
      block_id: input.blockId,
      value: input.value,
      team: { id: 'T00000001', domain: 'relais-test' },
      enterprise: null,
      is_enterprise_install: false,
      view: {
        id: viewId,
        team_id: 'T00000001',
        type: 'modal',
        callback_id: input.callbackId,
        private_metadata: '',
        hash: 'h',
        state: { values: {} },
      },
    });
  }

  command(input: { userId: string; text: string; command?: string; channelId?: string }): Promise<SlackResponse> {
    const form = new URLSearchParams({
      token: 'deprecated',
      team_id: 'T00000001',
      team_domain: 'relais-test',
      channel_id: input.channelId ?? 'C_ANY',
      channel_name: 'general',
      user_id: input.userId,
      user_name: 'volunteer',
      command: input.command ?? '/relais',
      text: input.text,
      api_app_id: 'A00000001',
      response_url: this.responseUrl,
      trigger_id: id('TRIG'),
    });
    return this.post(form.toString(), 'application/x-www-form-urlencoded', { url: '/slack/commands' });
  }

  /** An Events API callback; pass the same `eventId` and a retry number to replay it like Slack does. */
  event(event: Record<string, unknown>, options: { eventId?: string; retryNum?: number } = {}): Promise<SlackResponse> {
    const body = JSON.stringify({
      token: 'deprecated',
      team_id: 'T00000001',
      api_app_id: 'A00000001',
      type: 'event_callback',
      event_id: options.eventId ?? id('Ev'),
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: 'T00000001', user_id: 'UBOT00001', is_bot: true }],
      event: { event_ts: `${Date.now() / 1000}`, ...event },
    });
    const headers: Record<string, string> = options.retryNum
      ? { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': 'http_timeout' }
      : {};
    return this.post(body, 'application/json', { headers });
  }
}
