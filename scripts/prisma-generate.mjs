// Generates the Prisma client, only when the schema (or Prisma itself) changed since the last
// generation: `npm start` runs this every time, and generating takes seconds. `--force`
// generates anyway. The Prisma CLI insists on a native schema-engine binary even though
// generation never runs it, and that binary cannot be downloaded offline: point the CLI at
// any existing file unless the user configured a real engine.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import process from 'node:process';

const root = fileURLToPath(new URL('..', import.meta.url));
const output = `${root}src/generated/prisma`;
const stamp = `${output}/.schema-hash`;
const inputs = [
  'prisma/schema.prisma',
  'prisma.config.ts',
  'node_modules/prisma/package.json',
  'node_modules/@prisma/client/package.json',
];

function inputsHash() {
  const hash = createHash('sha256');
  for (const file of inputs)
    hash
      .update(file)
      .update('\0')
      .update(existsSync(`${root}${file}`) ? readFileSync(`${root}${file}`) : '');
  return hash.digest('hex');
}

const wanted = inputsHash();
const force = process.argv.includes('--force');
if (!force && existsSync(`${output}/client.ts`) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === wanted)
  process.exit(0);

const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
const result = spawnSync('npx', ['--no-install', 'prisma', 'generate'], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env,
  cwd: root,
});
if (result.status !== 0) {
  process.stdout.write(result.stdout ?? '');
  process.exit(result.status ?? 1);
}
writeFileSync(stamp, `${wanted}\n`);
