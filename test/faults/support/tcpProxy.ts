import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy in front of a real service (Postgres here) that a test can cut and restore:
 * `cut()` closes every open connection and refuses new ones, as a crashed or unreachable
 * database would; `restore()` accepts again. The shared service itself is never touched.
 */
export class TcpProxy {
  port = 0;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private open = true;
  /** connections accepted while held, waiting for {@link release} to reach the service */
  private held: Array<() => void> = [];
  private holding = false;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((client) => {
      if (!this.open) {
        client.destroy();
        return;
      }
      if (this.holding) {
        // what the client writes meanwhile waits in its stream (not flowing until piped)
        this.sockets.add(client);
        client.on('close', () => this.sockets.delete(client));
        client.on('error', () => undefined);
        this.held.push(() => this.forward(client));
        return;
      }
      this.forward(client);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port; // a TCP listen() always gives an AddressInfo
    return this;
  }

  private forward(client: Socket): void {
    if (client.destroyed) return;
    const upstream = connect(this.targetPort, this.targetHost);
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }

  /**
   * Accepts connections but lets none reach the service until {@link release}: like a database
   * that becomes ready while several processes wait for it, which then all go at once.
   */
  hold(): void {
    this.holding = true;
  }

  /** How many connections are waiting for {@link release}. */
  get heldCount(): number {
    return this.held.length;
  }

  release(): void {
    this.holding = false;
    const waiting = this.held;
    this.held = [];
    for (const forward of waiting) forward();
  }

  cut(): void {
    this.open = false;
    for (const s of this.sockets) s.destroy();
  }

  restore(): void {
    this.open = true;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
