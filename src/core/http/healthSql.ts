import type { Db } from '../db.js';
import { prismaRunner } from '../db/prismaRunner.js';
import { sql } from '../db/sql.js';

/** Resolves once Postgres has answered a trivial statement; rejects when it cannot be reached. */
export async function pingPostgres(db: Db): Promise<void> {
  await prismaRunner(db).queryAll([sql`SELECT 1`]);
}
