// Generates the Prisma client. The Prisma CLI insists on a native schema-engine binary even
// though generation never runs it, and that binary cannot be downloaded offline: point the
// CLI at any existing file unless the user configured a real engine.
import { spawnSync } from 'node:child_process';
import process from 'node:process';

const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
const result = spawnSync('npx', ['--no-install', 'prisma', 'generate'], { stdio: ['ignore', 'pipe', 'inherit'], env });
if (result.status !== 0) {
  process.stdout.write(result.stdout ?? '');
  process.exit(result.status ?? 1);
}
