import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateApiToken } from '../../src/core/apiTokens/apiTokenService.js';
import { createDb, type Db } from '../../src/core/db.js';
import { imeiProblem } from '../../src/core/devices/imei.js';
import { readWeeklyHours } from '../../src/core/places/placeHours.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

const run = promisify(execFile);
let database: TestDatabase;
let db: Db;
const script = (path: string, ...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', path, ...args], {
    env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' },
    timeout: 60_000,
  });
/** The seed as an operator would run it on a production server (a real APP_SECRET, so the config loads). */
const seedInProduction = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'scripts/seed.ts', ...args], {
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'silent',
      NODE_ENV: 'production',
      APP_SECRET: 'a-production-secret-0123456789abcdef-0123456789',
    },
    timeout: 60_000,
  });

beforeAll(async () => {
  database = await createTestDatabase('seed');
  db = createDb({ url: database.url, poolMax: 2, connectTimeoutMs: 5000 });
});
afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

describe('npm run seed', () => {
  it(
    'the seed run against a production database is refused ' + 'in one line and creates no admin token, nor anything',
    async () => {
      const refused = await seedInProduction().then(
        () => null,
        (error: unknown) => error as { code: number; stdout: string; stderr: string },
      );
      expect(refused?.code).toBe(1);
      expect(refused?.stdout).toBe('');
      const oneLine = expect.stringMatching(/^seed: refused: NODE_ENV=production.*--force-demo/);
      expect(refused?.stderr.trim().split('\n')).toEqual([oneLine]);
      expect(refused?.stderr).not.toMatch(/rls_/);
      const counts = {
        associations: await db.association.count(),
        staff: await db.staffMember.count(),
        devices: await db.device.count(),
        tokens: await db.apiToken.count(),
      };
      expect(counts).toEqual({ associations: 0, staff: 0, devices: 0, tokens: 0 });
    },
  );

  it(
    'creates the demo network, a stock of phones with valid IMEIs and an admin token printed once; a second run ' +
      'adds nothing',
    async () => {
      const first = await script('scripts/seed.ts');
      const token = /\n {2}(rls_[A-Za-z0-9_-]{43})\n/.exec(first.stdout)?.[1];
      expect(token).toBeDefined();
      expect((await authenticateApiToken(db, token ?? ''))?.scopes.has('admin')).toBe(true);

      const counts = async () => ({
        associations: await db.association.count(),
        places: await db.place.count(),
        staff: await db.staffMember.count(),
        devices: await db.device.count(),
        tokens: await db.apiToken.count(),
      });
      const after = await counts();
      expect(after.associations).toBeGreaterThanOrEqual(5);
      expect(await db.association.findUnique({ where: { slug: 'utopia-56' } })).not.toBeNull();
      expect(await db.device.count({ where: { model: 'Sony Xperia X', status: 'IN_STOCK' } })).toBe(60);
      const imeis = await db.device.findMany({ where: { imei: { not: null } }, select: { imei: true } });
      expect(imeis.every((d) => imeiProblem(d.imei ?? '') === null)).toBe(true);
      const places = await db.place.findMany();
      expect(places.every((p) => readWeeklyHours(p.hours).length > 0 && p.latitude !== null)).toBe(true);
      expect(new Set(places.map((p) => p.category))).toEqual(
        new Set(['ASSOCIATION', 'DISTRIBUTION', 'CHARGING', 'RELAY_POINT', 'DROP_OFF']),
      );

      const second = await script('scripts/seed.ts');
      expect(second.stdout).not.toMatch(/rls_/);
      expect(await counts()).toEqual(after);
    },
  );

  it('with --force-demo the seed runs in production too', async () => {
    const forced = await seedInProduction('--force-demo');
    expect(forced.stdout).toMatch(/^associations: \d+, places: \+0, staff: \+0, devices: \+0$/m);
    expect(forced.stderr).not.toMatch(/refused/);
  });

  it('admin:token creates a token with the asked scopes and refuses an unknown scope', async () => {
    const created = await script('src/cli/createAdminToken.ts', '--name', 'refurbisher', '--scopes', 'read,write');
    const token = /\n {2}(rls_[A-Za-z0-9_-]{43})\n/.exec(created.stdout)?.[1] ?? '';
    expect([...((await authenticateApiToken(db, token))?.scopes ?? [])].sort()).toEqual(['read', 'write']);
    await expect(script('src/cli/createAdminToken.ts', '--name', 'x', '--scopes', 'root')).rejects.toMatchObject({
      code: 2,
    });
  });

  it('admin:token binds a token to an association by slug, reads scopes in any case, refuses unknowns', async () => {
    const cli = 'src/cli/createAdminToken.ts';
    const bound = ['--scopes', 'READ, Donor-Contacts', '--association', 'Utopia-56'];
    const created = await script(cli, '--name', 'utopia-dashboard', ...bound);
    const token = /\n {2}(rls_[A-Za-z0-9_-]{43})\n/.exec(created.stdout)?.[1] ?? '';
    const principal = await authenticateApiToken(db, token);
    const utopia = await db.association.findUniqueOrThrow({ where: { slug: 'utopia-56' } });
    expect(principal?.associationId).toBe(utopia.id);
    expect([...(principal?.scopes ?? [])].sort()).toEqual(['donor-contacts', 'read']);
    expect(created.stdout).toMatch(/bound to association Utopia-56/);
    const tokens = await db.apiToken.count();
    const unknown = script(cli, '--name', 'x', '--scopes', 'read', '--association', 'nowhere');
    await expect(unknown).rejects.toMatchObject({ code: 2 });
    expect(await db.apiToken.count()).toBe(tokens);
  });
});
