import type { FastifyInstance } from 'fastify';
import type { ChannelSender } from '../outbound/channelSender.js';
import type { InboundMessage } from '../messages/messageTypes.js';
import type { ReceiveResult } from '../inbound/inboundService.js';
import type { TaskHandlers } from '../queue/taskWorker.js';

/** The single entry point a transport calls for each inbound message; it resolves once the message is stored. */
export type Receive = (inbound: InboundMessage) => Promise<ReceiveResult>;

/**
 * How a channel adapter meets the core: HTTP routes (webhooks) on the shared Fastify app,
 * a sender for the outbound queue, and start/stop for long-lived connections (polling,
 * sockets, a WhatsApp browser). Acknowledging a platform is part of handling its event.
 */
export interface ChannelTransport {
  name: string;
  /** routes on the web process (webhooks, web chat) */
  registerRoutes?(app: FastifyInstance, receive: Receive): Promise<void>;
  /** outbound delivery, run by workers */
  sender?: ChannelSender;
  /** background tasks this channel implements (e.g. Slack: post a new request in a channel) */
  tasks?: TaskHandlers;
  /** long-lived inbound connections started with the web process */
  start?(receive: Receive): Promise<void>;
  /**
   * Long-lived connections that belong to worker processes only (a WhatsApp browser: one per
   * number, heavy, driven by whichever worker holds its lock). Called only where queue
   * workers run (`workers` option / RUN_WORKERS); must return quickly (start in background).
   */
  startWithWorkers?(receive: Receive): Promise<void>;
  /** stops whatever start/startWithWorkers opened; called in every process */
  stop?(): Promise<void>;
}
