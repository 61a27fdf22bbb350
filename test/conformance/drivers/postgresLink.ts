import { TcpProxy } from '../../faults/support/tcpProxy.js';
import type { TestRelais } from '../../support/testRelais.js';
import { eventually } from '../../support/testRelais.js';

/** Environment every channel of the suite runs with: a simulated person taps faster than a real one. */
export const CONFORMANCE_ENV: Record<string, string> = { FLOOD_MAX_PER_MINUTE: '400', DATABASE_CONNECT_TIMEOUT_MS: '1000' };

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
    await eventually(async () => (await t.relais.app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200, 15_000, 100);
  }

  async close(): Promise<void> {
    await this.proxy.close();
  }
}
