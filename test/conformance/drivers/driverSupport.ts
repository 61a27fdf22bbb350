import type { Response as InjectResponse } from 'light-my-request';
import { TcpProxy } from '../../faults/support/tcpProxy.js';
import type { TestRelais } from '../../support/testRelais.js';
import { eventually } from '../../support/testRelais.js';
import type { Delivery } from '../channelDriver.js';

/**
 * Environment every channel of the suite runs with. The flood limit is the production default
 * (60 a minute per person, beyond it held and replayed later): a simulated person of a walk or
 * a contract burst writes at most about twenty messages, so none is held.
 */
export const CONFORMANCE_ENV: Record<string, string> = {
  DATABASE_CONNECT_TIMEOUT_MS: '1000',
};

/**
 * The service's way to Postgres, through a TCP proxy a test can cut (as a crashed or
 * unreachable database) and restore; the shared Postgres itself is never touched.
 */
export class PostgresLink {
  private constructor(private readonly proxy: TcpProxy) {}

  static async open(): Promise<PostgresLink> {
    return new PostgresLink(await new TcpProxy('127.0.0.1', 5432).start());
  }

  /** the database URL, through the proxy */
  readonly via = (url: string): string => {
    const viaProxy = new URL(url);
    viaProxy.port = String(this.proxy.port);
    return viaProxy.toString();
  };

  cut(): void {
    this.proxy.cut();
  }

  /** Accepts connections again and waits until the service says Postgres is back. */
  async restore(t: TestRelais): Promise<void> {
    this.proxy.restore();
    await eventually(
      async () => (await t.relais.app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200,
      15_000,
      100,
    );
  }

  async close(): Promise<void> {
    await this.proxy.close();
  }
}

/** What an HTTP platform learnt from an answer: its status, and when to come back. */
export function httpDelivery(response: InjectResponse): Delivery {
  const retryAfter = response.headers['retry-after'];
  return { status: response.statusCode, ...(retryAfter !== undefined ? { retryAfter: String(retryAfter) } : {}) };
}

/** An HTTP channel told to retry: 503 with Retry-After (the platform keeps the payload and sends it again). */
export function expectRetryLater(delivery: Delivery): void {
  if (delivery.status !== 503 || delivery.retryAfter === undefined)
    throw new Error(`expected 503 with Retry-After, got ${JSON.stringify(delivery)}`);
}

/** What every driver shares: its Relais and the way to cut its Postgres. */
export abstract class LinkedRelais {
  protected constructor(
    readonly t: TestRelais,
    protected readonly link: PostgresLink,
  ) {}

  get relais() {
    return this.t.relais;
  }

  cutPostgres(): void {
    this.link.cut();
  }

  restorePostgres(): Promise<void> {
    return this.link.restore(this.t);
  }

  async close(): Promise<void> {
    await this.t.close();
    await this.link.close();
  }
}
