import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../../generated/prisma/client.js';

export type Db = PrismaClient;
/** The client handed to code that runs inside `db.$transaction(async (tx) => …)`. */
export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

export interface DbOptions {
  url: string;
  poolMax: number;
  connectTimeoutMs: number;
}

/** One node-postgres pool per process; the size and acquire timeout are explicit (pg's defaults are 10 and none). */
export function createPool(options: DbOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    // DateTime columns are `timestamp(3)` holding UTC (as Prisma writes them); SQL defaults
    // and now() must agree whatever the server's TimeZone
    options: '-c TimeZone=UTC',
    max: options.poolMax,
    connectionTimeoutMillis: options.connectTimeoutMs,
    idleTimeoutMillis: 30_000,
  });
  // an idle client losing its connection (Postgres restart) must not crash the process
  pool.on('error', () => undefined);
  return pool;
}

/**
 * Prisma Client over node-postgres. With `pool` (shared with the inbound hot path) the caller
 * ends the pool after `$disconnect()`; without, Prisma owns its pool and `$disconnect()` ends it.
 */
export function createDb(options: DbOptions, pool?: pg.Pool): Db {
  const adapter = pool
    ? new PrismaPg(pool)
    : new PrismaPg({
        connectionString: options.url,
        options: '-c TimeZone=UTC',
        max: options.poolMax,
        connectionTimeoutMillis: options.connectTimeoutMs,
        idleTimeoutMillis: 30_000,
      });
  return new PrismaClient({ adapter });
}
