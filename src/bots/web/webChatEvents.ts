import type { ServerResponse } from 'node:http';
import { Redis } from 'ioredis';
import { redisOptions } from '../../core/queue/queueConnection.js';
import type { Secrets } from '../../core/secrets.js';

export interface WebChatEventsOptions {
  redisUrl: string;
  /** the queue prefix: the channels of one deployment never reach another's pages */
  prefix: string;
  secrets: Secrets;
  /** the process's producer connection: publishing needs no connection of its own */
  publisher: Pick<Redis, 'publish'>;
  /** open streams in this process, all sessions together; beyond, 503 (the page polls) */
  maxConnections: number;
  /** open streams of one session (a few tabs); beyond, 503 */
  maxPerSession: number;
  heartbeatMs?: number;
}

const HEARTBEAT_MS = 25_000;

/**
 * "Something new" for the web chat page, without content: the delivery worker publishes on a
 * Redis channel once a reply is available to fetch, and every web process fans it out to its
 * open event streams (GET /chat/api/events) of that session. One subscriber connection per
 * process, opened with the first stream; a channel is subscribed while one of its streams is
 * open. The channel name is a keyed hash of the session id, never the id itself; a renewed
 * session (a shared handset) hears nothing more on the old id's channel.
 */
export class WebChatEvents {
  private subscriber: Redis | null = null;
  private readonly streams = new Map<string, Set<ServerResponse>>();
  private open = 0;
  private readonly heartbeatMs: number;
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(private readonly options: WebChatEventsOptions) {
    this.heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  }

  channelOf(sessionId: string): string {
    return `${this.options.prefix}:webchat-events:${this.options.secrets.hash(`webchat-events:${sessionId}`)}`;
  }

  /** Tells the session's open pages that a message up to `seq` can be fetched (best effort). */
  async publish(sessionId: string, seq: string): Promise<void> {
    await this.options.publisher.publish(this.channelOf(sessionId), seq);
  }

  /** How many streams this process holds open now. */
  get openStreams(): number {
    return this.open;
  }

  /** Whether one more stream of this session fits in the limits (else 503: the page polls). */
  hasRoomFor(sessionId: string): boolean {
    const mine = this.streams.get(this.channelOf(sessionId))?.size ?? 0;
    return this.open < this.options.maxConnections && mine < this.options.maxPerSession;
  }

  /** Takes over `response` as the session's event stream until the client goes away (or {@link close}). */
  async stream(sessionId: string, response: ServerResponse, headers: Record<string, string>): Promise<void> {
    const channel = this.channelOf(sessionId);
    const set = this.streams.get(channel) ?? new Set<ServerResponse>();
    this.streams.set(channel, set);
    set.add(response);
    this.open++;
    let closed = false;
    const forget = () => {
      if (closed) return;
      closed = true;
      this.open--;
      set.delete(response);
      if (set.size === 0 && this.streams.get(channel) === set) {
        this.streams.delete(channel);
        void this.subscriber?.unsubscribe(channel).catch(() => undefined);
      }
      if (this.open === 0) this.stopHeartbeat();
    };
    response.on('close', forget);
    // no socket timeout: the stream stays open while the page does; the heartbeat keeps proxies from cutting it
    response.socket?.setTimeout(0);
    response.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-store, no-transform',
      connection: 'keep-alive',
      // nginx and its kin: do not buffer the stream
      'x-accel-buffering': 'no',
    });
    // reconnect after 3 s when the connection drops; the page fetches once on (re)connection
    response.write('retry: 3000\n\n');
    this.startHeartbeat();
    try {
      await this.subscribe(channel);
    } catch {
      // Redis unreachable: end the stream, the page falls back to polling and tries again later
      response.end();
      forget();
      return;
    }
    if (!response.writableEnded) response.write('event: ready\ndata: {}\n\n');
  }

  /** Ends every open stream and the subscriber connection (the process stops). */
  async close(): Promise<void> {
    for (const set of this.streams.values()) for (const response of set) response.end();
    this.streams.clear();
    this.stopHeartbeat();
    const subscriber = this.subscriber;
    this.subscriber = null;
    subscriber?.disconnect();
  }

  private async subscribe(channel: string): Promise<void> {
    if (!this.subscriber) {
      // a subscriber waits for Redis and subscribes again after a reconnection
      const subscriber = new Redis({
        ...redisOptions(this.options.redisUrl, 'worker'),
        connectionName: `${this.options.prefix}:webchat-events`,
      });
      subscriber.on('error', () => undefined);
      subscriber.on('message', (from: string, seq: string) => this.deliver(from, seq));
      // back after a Redis outage: what was published meanwhile is lost, so every page fetches once
      let connected = false;
      subscriber.on('ready', () => {
        if (connected) for (const channel of this.streams.keys()) this.deliver(channel, '0');
        connected = true;
      });
      this.subscriber = subscriber;
    }
    await this.subscriber.subscribe(channel);
  }

  private deliver(channel: string, seq: string): void {
    const cursor = /^\d{1,19}$/.test(seq) ? seq : '0';
    for (const response of this.streams.get(channel) ?? []) {
      response.write(`event: update\ndata: {"seq":${cursor}}\n\n`);
    }
  }

  private startHeartbeat(): void {
    this.heartbeat ??= setInterval(() => {
      for (const set of this.streams.values()) for (const response of set) response.write(': keep-alive\n\n');
    }, this.heartbeatMs);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }
}
