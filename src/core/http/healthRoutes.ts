import type { FastifyInstance } from 'fastify';
import type { Db } from '../db.js';
import type { Metrics } from '../metrics.js';
import { pingPostgres } from './healthSql.js';

export interface HealthDeps {
  db: Db;
  pingRedis: () => Promise<boolean>;
  metrics: Metrics;
}

/** `/healthz` (the process is alive), `/readyz` (Postgres and Redis answer, and which does not), `/metrics`. */
export async function healthRoutes(app: FastifyInstance, deps: HealthDeps) {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const [postgres, redis] = await Promise.all([
      withTimeout(
        pingPostgres(deps.db).then(() => true),
        2000,
      ),
      withTimeout(deps.pingRedis(), 2000),
    ]);
    const checks = { postgres: postgres ? 'ok' : 'unreachable', redis: redis ? 'ok' : 'unreachable' };
    const ready = postgres && redis;
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks });
  });
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}

async function withTimeout(promise: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
