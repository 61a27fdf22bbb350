// `npm run admin:token -- --name <who> --scopes read,write` (in a container:
// `node dist/src/cli/createAdminToken.js --name <who> --scopes read`): creates an admin API
// token and prints it once. Only its SHA-256 is stored.
import process from 'node:process';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { API_SCOPES, createApiToken } from '../core/apiTokens/apiTokenService.js';
import { ConfigError, loadConfig } from '../core/config.js';
import { createDb } from '../core/db.js';
import { preparePostgres, StartupProblem } from '../core/startupChecks.js';

const USAGE = 'usage: npm run admin:token -- --name <who uses it> --scopes read[,write][,admin]';
const argsSchema = z.object({
  name: z.string().trim().min(1).max(80),
  scopes: z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(API_SCOPES)).min(1)),
});

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { name: { type: 'string' }, scopes: { type: 'string', default: 'read' }, help: { type: 'boolean' } }, strict: true });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const args = argsSchema.safeParse(values);
  if (!args.success) {
    process.stderr.write(`${args.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n')}\n${USAGE}\n`);
    return 2;
  }
  const config = loadConfig(process.env);
  await preparePostgres(config);
  const db = createDb({ url: config.DATABASE_URL, poolMax: 1, connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS });
  try {
    const created = await createApiToken(db, { name: args.data.name, scopes: args.data.scopes, actor: { type: 'SYSTEM', id: 'cli' } });
    process.stdout.write(`Created API token "${created.name}" (${created.scopes.join(', ')}), id ${created.id}.\nIt is shown only now; store it in a password manager:\n\n  ${created.token}\n\nUse it as: curl -H "Authorization: Bearer ${created.token}" ${config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`}/api/v1/associations\n`);
    return 0;
  } finally {
    await db.$disconnect();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`admin:token: ${error instanceof ConfigError || error instanceof StartupProblem || error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
