// `npm run db:migrate`: creates the database if needed and applies prisma/migrations.
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import {
  applyMigrations,
  DatabaseConnectionError,
  defaultDatabaseUrl,
  ensureDatabase,
  START_POSTGRES_HINT,
} from '../src/core/db/schemaEngine.js';

const migrationsDir = fileURLToPath(new URL('../prisma/migrations', import.meta.url));

async function main(): Promise<number> {
  const connectionString = defaultDatabaseUrl();
  try {
    if (await ensureDatabase(connectionString))
      console.log(`created database ${new URL(connectionString).pathname.slice(1)}`);
    const applied = await applyMigrations({ connectionString, migrationsDir });
    if (applied.length === 0) console.log('database is up to date');
    for (const name of applied) console.log(`applied ${name}`);
    return 0;
  } catch (error) {
    if (error instanceof DatabaseConnectionError) {
      console.error(`${error.message}. ${START_POSTGRES_HINT}`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main();
