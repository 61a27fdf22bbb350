// `npm run seed`: a living demo network (associations, places with opening hours, staff, a
// stock of refurbished phones and an admin API token) in the database of DATABASE_URL.
// Idempotent: run it again and it only adds what is missing; it never deletes anything.
// Refused when NODE_ENV=production unless `--force-demo` is given: demo staff and a printed
// admin token have no place in a real network's database.
import process from 'node:process';
import { createApiToken } from '../src/core/apiTokens/apiTokenService.js';
import { loadConfig } from '../src/core/config.js';
import { createDb, type Db } from '../src/core/db.js';
import { withCheckDigit } from '../src/core/devices/imei.js';
import { importStock } from '../src/core/devices/stockImport.js';
import { preparePostgres } from '../src/core/startupChecks.js';
import { DEMO_ASSOCIATIONS, DEMO_PLACES, DEMO_STAFF, DEMO_STOCK, type DemoStock } from './seed/demoNetwork.js';

const SEED_TOKEN_NAME = 'seed-admin';
const SEED_ACTOR = { type: 'SYSTEM' as const, id: 'seed' };
const FORCE_DEMO = '--force-demo';

/** Thrown (and printed as one line) when the seed would fill a production database with demo data. */
class SeedRefusedInProduction extends Error {
  constructor() {
    const why = 'demo data and an admin token do not belong in production';
    super(`refused: NODE_ENV=production; ${why} (add ${FORCE_DEMO} to insist)`);
    this.name = 'SeedRefusedInProduction';
  }
}

async function main() {
  const config = loadConfig(process.env);
  const forced = process.argv.slice(2).includes(FORCE_DEMO);
  if (config.NODE_ENV === 'production' && !forced) throw new SeedRefusedInProduction();
  await preparePostgres(config);
  const db = createDb({ url: config.DATABASE_URL, poolMax: 2, connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS });
  try {
    const associations = await seedAssociations(db);
    const places = await seedPlaces(db, associations);
    const staff = await seedStaff(db, associations);
    const devices = await seedStock(db, associations);
    console.log(`associations: ${associations.size}, places: +${places}, staff: +${staff}, devices: +${devices}`);
    await seedToken(db);
    const base = config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`;
    console.log(`\nStart Relais with \`npm start\`, then open ${base}/chat (web chat) and ${base}/docs (admin API).`);
  } finally {
    await db.$disconnect();
  }
}

async function seedAssociations(db: Db): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const a of DEMO_ASSOCIATIONS) {
    const row = await db.association.upsert({ where: { slug: a.slug }, create: a, update: {} });
    ids.set(a.slug, row.id);
  }
  return ids;
}

async function seedPlaces(db: Db, associations: Map<string, string>): Promise<number> {
  let added = 0;
  for (const { association, ...place } of DEMO_PLACES) {
    if (await db.place.findFirst({ where: { name: place.name, category: place.category }, select: { id: true } }))
      continue;
    await db.place.create({
      data: { ...place, associationId: association ? (associations.get(association) ?? null) : null },
    });
    added++;
  }
  return added;
}

async function seedStaff(db: Db, associations: Map<string, string>): Promise<number> {
  let added = 0;
  for (const { association, ...member } of DEMO_STAFF) {
    const associationId = associations.get(association);
    if (
      !associationId ||
      (await db.staffMember.findUnique({ where: { slackUserId: member.slackUserId }, select: { id: true } }))
    )
      continue;
    await db.staffMember.create({ data: { ...member, associationId } });
    added++;
  }
  return added;
}

/** Imports each association's demo delivery through the same all-or-nothing import as the API and Slack. */
async function seedStock(db: Db, associations: Map<string, string>): Promise<number> {
  let added = 0;
  for (const [index, stock] of DEMO_STOCK.entries()) {
    const associationId = associations.get(stock.association);
    if (!associationId) continue;
    const rows = demoDevices(stock, index);
    const known = await db.device.findMany({
      where: {
        OR: [
          { imei: { in: rows.flatMap((r) => (r.imei ? [r.imei] : [])) } },
          { serial: { in: rows.flatMap((r) => (r.serial ? [r.serial] : [])) } },
        ],
      },
      select: { imei: true, serial: true },
    });
    const knownIds = new Set(known.flatMap((d) => [d.imei, d.serial].filter((id) => id !== null)));
    const missing = rows.filter((r) => !(r.imei && knownIds.has(r.imei)) && !(r.serial && knownIds.has(r.serial)));
    if (missing.length === 0) continue;
    const csv = [
      'imei,serial,model,grade,certificate,kind',
      ...missing.map((r) => [r.imei ?? '', r.serial ?? '', r.model, r.grade, r.certificate, r.kind].join(',')),
    ].join('\n');
    const report = await importStock(db, { associationId, csv, actor: SEED_ACTOR });
    if (report.status !== 'imported')
      throw new Error(`demo stock for ${stock.association} was rejected: ${JSON.stringify(report.errors.slice(0, 3))}`);
    added += report.importedCount;
  }
  return added;
}

function demoDevices(stock: DemoStock, index: number) {
  return Array.from({ length: stock.count }, (_, i) => {
    const number = 100000 + index * 1000 + i;
    return {
      imei: stock.tac ? withCheckDigit(`${stock.tac}${number}`) : null,
      serial: stock.serialPrefix ? `${stock.serialPrefix}${number}` : null,
      model: stock.model,
      grade: stock.grades[i % stock.grades.length] ?? 'B',
      certificate: `ADB-EFF-2025-${String(number).padStart(6, '0')}`,
      kind: stock.kind ?? 'smartphone',
    };
  });
}

async function seedToken(db: Db) {
  const existing = await db.apiToken.findFirst({ where: { name: SEED_TOKEN_NAME, revokedAt: null } });
  if (existing) {
    console.log(
      `Admin API token "${SEED_TOKEN_NAME}" already exists (created ${existing.createdAt.toISOString()}); ` +
        'it was shown when it was created. Make another with `npm run admin:token -- --name <you> --scopes admin`.',
    );
    return;
  }
  const created = await createApiToken(db, { name: SEED_TOKEN_NAME, scopes: ['admin'], actor: SEED_ACTOR });
  console.log(
    `\nAdmin API token (network-wide, admin scope; shown once, only its hash is stored):\n\n  ${created.token}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(`seed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
