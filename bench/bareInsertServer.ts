// The bound of this stack: a bare Fastify route that stores each webhook body with one
// Postgres INSERT (same pool size as Relais, same port and load), and nothing else: no
// secret check, no validation, no transaction, no flow, no queue. Relais' throughput is
// reported as a ratio of this one.
//   DATABASE_URL=… PORT=… DATABASE_POOL_MAX=10 npx tsx bench/bareInsertServer.ts
import process from 'node:process';
import Fastify from 'fastify';
import pg from 'pg';

async function main(): Promise<void> {
  const pool = new pg.Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.DATABASE_POOL_MAX ?? 10),
  });
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bare_update ' +
      '(id bigserial PRIMARY KEY, body jsonb NOT NULL, received_at timestamptz NOT NULL DEFAULT now())',
  );
  const app = Fastify({ logger: false, bodyLimit: 256 * 1024 });
  app.post('/telegram/webhook', async (request, reply) => {
    await pool.query('INSERT INTO bare_update (body) VALUES ($1)', [JSON.stringify(request.body)]);
    return reply.status(200).send();
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 3999) });
  process.once('SIGTERM', () => {
    void app
      .close()
      .then(() => pool.end())
      .then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`bare insert server: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
