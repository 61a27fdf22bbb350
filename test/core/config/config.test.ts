import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/core/config.js';

describe('configuration', () => {
  it('works with no variable at all (local Postgres and Redis, web chat on)', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBe('postgresql://postgres@127.0.0.1:5432/relais');
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.WEBCHAT_ENABLED).toBe(true);
  });

  it('reports one line per missing or invalid variable', () => {
    try {
      loadConfig({ PORT: 'abc', TELEGRAM_MODE: 'webhook', LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      expect(problems.some((p) => p.startsWith('PORT:'))).toBe(true);
      expect(problems.some((p) => p.startsWith('LOG_LEVEL:'))).toBe(true);
    }
    expect(() => loadConfig({ TELEGRAM_MODE: 'webhook' })).toThrow(/TELEGRAM_BOT_TOKEN: required/);
  });

  it('refuses the development secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/APP_SECRET/);
  });

  it('the service explains in one line, without a stack trace, that Postgres is unreachable', () => {
    const run = spawnSync('npx', ['tsx', 'src/main.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: 'postgresql://postgres@127.0.0.1:5499/relais',
        PORT: '0',
        STARTUP_RETRY_SECONDS: '0',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    const lines = run.stderr.split('\n').filter((l) => l.startsWith('relais:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/PostgreSQL at 127\.0\.0\.1:5499/);
    expect(lines[0]).toMatch(/docker compose -f docker-compose.dev.yml up -d postgres/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('the service explains in one line that Redis is unreachable', () => {
    const run = spawnSync('npx', ['tsx', 'src/main.ts'], {
      env: {
        ...process.env,
        REDIS_URL: 'redis://127.0.0.1:6390',
        PORT: '0',
        STARTUP_RETRY_SECONDS: '0',
        DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/relais_startup_check',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /relais: cannot connect to Redis at 127\.0\.0\.1:6390.*docker compose -f docker-compose.dev.yml up -d redis/,
    );
    spawnSync('psql', [
      '-h',
      '127.0.0.1',
      '-U',
      'postgres',
      '-c',
      'DROP DATABASE IF EXISTS relais_startup_check WITH (FORCE)',
    ]);
  });
});
