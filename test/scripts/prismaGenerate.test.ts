import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const run = () => spawnSync(process.execPath, ['scripts/prisma-generate.mjs'], { encoding: 'utf8' });
const stamp = 'src/generated/prisma/.schema-hash';

describe('npm start regenerates the Prisma client only when the schema changed', () => {
  it('a second run with the same schema leaves the generated client as it is, at once', () => {
    expect(run().status).toBe(0);
    const before = statSync('src/generated/prisma/client.ts').mtimeMs;
    const started = Date.now();
    const again = run();
    expect(again.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(statSync('src/generated/prisma/client.ts').mtimeMs).toBe(before);
    expect(readFileSync(stamp, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
  }, 60_000);
});
