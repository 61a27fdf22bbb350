// `npm run db:migration -- --name <name>`: writes a new migration for the changes between the
// schema snapshot of the latest migration and prisma/schema.prisma.
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  DatabaseConnectionError,
  diffSchemas,
  LOCKFILE,
  LOCKFILE_CONTENT,
  MIGRATION_FILE,
  readMigrationList,
  SCHEMA_SNAPSHOT_FILE,
  START_POSTGRES_HINT,
} from '../src/core/db/schemaEngine.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const schemaFile = path.join(root, 'prisma', 'schema.prisma');
const migrationsDir = path.join(root, 'prisma', 'migrations');

/** UTC `YYYYMMDDHHMMSS`, like `prisma migrate dev`. */
function timestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

function parseName(args: string[]): string | null {
  try {
    const { values } = parseArgs({ args, options: { name: { type: 'string' } } });
    return values.name !== undefined && /^[a-z0-9_]+$/.test(values.name) ? values.name : null;
  } catch {
    return null; // unknown option or missing value
  }
}

async function main(): Promise<number> {
  const name = parseName(process.argv.slice(2));
  if (name === null) {
    console.error('usage: npm run db:migration -- --name <name>   (name: lower-case letters, digits and _)');
    return 2;
  }

  const { migrationDirectories } = await readMigrationList(migrationsDir);
  const latest = migrationDirectories.at(-1)?.path;
  let previous: string | null = null;
  if (latest !== undefined) {
    const snapshot = path.join(migrationsDir, latest, SCHEMA_SNAPSHOT_FILE);
    if (!(await exists(snapshot))) {
      console.error(`${path.relative(root, snapshot)} is missing: cannot tell what changed since ${latest}`);
      return 1;
    }
    previous = await readFile(snapshot, 'utf8');
  }
  const current = await readFile(schemaFile, 'utf8');

  let sql: string;
  try {
    sql = await diffSchemas(previous, current);
  } catch (error) {
    if (error instanceof DatabaseConnectionError) {
      // The engine cannot start without a server, although the diff itself reads no database.
      console.error(`${error.message}. ${START_POSTGRES_HINT}`);
      return 1;
    }
    throw error;
  }
  if (sql === '') {
    console.log('no schema changes');
    return 0;
  }

  const dirName = `${timestamp(new Date())}_${name}`;
  const dir = path.join(migrationsDir, dirName);
  if (await exists(dir)) {
    console.error(`${path.relative(root, dir)} already exists`);
    return 1;
  }
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, MIGRATION_FILE), sql);
  await writeFile(path.join(dir, SCHEMA_SNAPSHOT_FILE), current);
  const lockfile = path.join(migrationsDir, LOCKFILE);
  if (!(await exists(lockfile))) await writeFile(lockfile, LOCKFILE_CONTENT);
  console.log(`created ${path.relative(root, path.join(dir, MIGRATION_FILE))}`);
  return 0;
}

process.exitCode = await main();
