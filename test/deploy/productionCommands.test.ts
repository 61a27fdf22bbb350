import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { productionCommand } from '../support/productionCommands.js';

const compose = readFileSync('docker-compose.yml', 'utf8');
const dockerfile = readFileSync('Dockerfile', 'utf8');

/** The `command:` of a Compose service, as the exec-form array it is written in. */
function composeCommand(service: string): string[] {
  const block = new RegExp(`^  ${service}:\\n(?:    .*\\n|\\s*\\n)*?    command: (\\[.*\\])$`, 'm').exec(compose);
  if (!block?.[1]) throw new Error(`no command for ${service} in docker-compose.yml`);
  return JSON.parse(block[1]) as string[];
}

/** The variables set by the Dockerfile's ENV instructions of the runtime stage. */
function dockerEnv(): Record<string, string> {
  const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
  const env: Record<string, string> = {};
  for (const match of runtime.matchAll(/^ENV ((?:.*\\\n)*.*)$/gm)) {
    for (const pair of (match[1] ?? '').replace(/\\\n/g, ' ').trim().split(/\s+/)) {
      const [key, value] = pair.split('=', 2);
      if (key && value !== undefined) env[key] = value;
    }
  }
  return env;
}

// The benchmark starts services with package.json's production scripts; the image and the
// Compose file must start them the same way, or the memory measured is not the memory run.
describe('production commands', () => {
  it('the Compose file runs the web process and the worker with the flags of start:prod and worker:prod', () => {
    for (const [service, script] of [
      ['app', 'start:prod'],
      ['worker', 'worker:prod'],
    ] as const) {
      const production = productionCommand(script);
      expect(composeCommand(service)).toEqual(['node', ...production.nodeFlags, production.script]);
    }
    expect(productionCommand('worker:prod').nodeFlags).toEqual(
      expect.arrayContaining(['--max-semi-space-size=4', '--max-old-space-size=160']),
    );
  });

  it("the image's default command is start:prod's and its environment holds the scripts' variables", () => {
    const production = productionCommand('start:prod');
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(JSON.parse(cmd ?? '[]')).toEqual(['node', ...production.nodeFlags, production.script]);
    const env = dockerEnv();
    for (const script of ['start:prod', 'worker:prod'] as const) {
      for (const [key, value] of Object.entries(productionCommand(script).env))
        expect(env[key], `${script}: ${key}`).toBe(value);
    }
    expect(env.MALLOC_ARENA_MAX).toBe('2');
  });
});
