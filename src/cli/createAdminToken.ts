// `npm run admin:token -- --name <who> --scopes read,write [--association <slug>]` (in a
// container: `node dist/src/cli/createAdminToken.js --name <who> --scopes read`): creates an
// admin API token and prints it once. Only its SHA-256 is stored. With --association the token
// sees and changes only that association's data.
import process from 'node:process';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { API_SCOPES, createApiToken, parseApiScope, type ApiScope } from '../core/apiTokens/apiTokenService.js';
import { ConfigError, loadConfig } from '../core/config.js';
import { createDb, type Db } from '../core/db.js';
import { preparePostgres, StartupProblem } from '../core/startupChecks.js';

const USAGE = `usage: npm run admin:token -- --name <who uses it> --scopes ${API_SCOPES.join('|')}[,…] \
  [--association <slug or id>]`;
const argsSchema = z.object({
  name: z.string().trim().min(1).max(80),
  scopes: z.string().transform((v, context) => {
    const typed = v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const scopes = typed.map(parseApiScope).filter((s): s is ApiScope => s !== null);
    if (scopes.length !== typed.length || scopes.length === 0) {
      context.addIssue({ code: 'custom', message: `expected some of ${API_SCOPES.join(', ')}` });
    }
    return scopes;
  }),
  association: z.string().trim().min(1).max(60).optional(),
});

/** The id of the association named by its slug (any case) or id, or null when there is none. */
async function findAssociation(db: Db, typed: string): Promise<string | null> {
  const isId = z.string().uuid().safeParse(typed).success;
  const where = isId ? { id: typed } : { slug: typed.toLowerCase() };
  const found = await db.association.findFirst({ where, select: { id: true } });
  return found?.id ?? null;
}

async function main(): Promise<number> {
  const options = {
    name: { type: 'string' },
    scopes: { type: 'string', default: 'read' },
    association: { type: 'string' },
    help: { type: 'boolean' },
  } as const;
  const { values } = parseArgs({ options, strict: true });
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
    const associationId = args.data.association ? await findAssociation(db, args.data.association) : null;
    if (args.data.association && !associationId) {
      process.stderr.write(`admin:token: no association "${args.data.association}"\n`);
      return 2;
    }
    const { name, scopes } = args.data;
    const created = await createApiToken(db, { name, scopes, associationId, actor: { type: 'SYSTEM', id: 'cli' } });
    const reach = associationId ? `bound to association ${args.data.association ?? ''}` : 'network-wide';
    const baseUrl = config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`;
    process.stdout.write(
      `Created API token "${created.name}" (${created.scopes.join(', ')}; ${reach}), id ${created.id}.\n` +
        `It is shown only now; store it in a password manager:\n\n  ${created.token}\n\n` +
        `Use it as: curl -H "Authorization: Bearer ${created.token}" ${baseUrl}/api/v1/associations\n`,
    );
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
    const known = error instanceof ConfigError || error instanceof StartupProblem || error instanceof Error;
    process.stderr.write(`admin:token: ${known ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
