import type pg from 'pg';

/**
 * Runs `fn` while this session holds the Postgres advisory lock named `name`: processes started
 * together (several web processes and workers on a fresh server) wait for each other instead
 * of racing. A session lock, not a transaction one: CREATE DATABASE cannot run in a
 * transaction. The lock goes with the session if the process dies.
 */
export async function withAdvisoryLock<T>(client: pg.Client, name: string, fn: () => Promise<T>): Promise<T> {
  await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [name]);
  try {
    return await fn();
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [name]).catch(() => undefined);
  }
}
