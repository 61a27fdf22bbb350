import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** How production starts a process: package.json's `start:prod` / `worker:prod`, taken apart. */
export interface ProductionCommand {
  /** variables set before `node` (e.g. MALLOC_ARENA_MAX) */
  env: Record<string, string>;
  /** node's and V8's flags (e.g. --max-semi-space-size=4) */
  nodeFlags: string[];
  /** the compiled entry point, relative to the repository */
  script: string;
}

/**
 * Reads a production npm script of the form `[VAR=value …] node [--flag …] dist/….js`. The
 * benchmark starts services with it and a test checks the Dockerfile and the Compose file
 * against it, so the three cannot drift apart.
 */
export function productionCommand(name: 'start:prod' | 'worker:prod'): ProductionCommand {
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: Record<string, string> };
  const line = pkg.scripts[name];
  if (!line) throw new Error(`package.json has no script ${name}`);
  const words = line.trim().split(/\s+/);
  const node = words.indexOf('node');
  const script = words.at(-1);
  if (node < 0 || !script?.endsWith('.js'))
    throw new Error(`${name} is not "[VAR=value …] node [--flag …] <file>.js": ${line}`);
  const env: Record<string, string> = {};
  for (const word of words.slice(0, node)) {
    const [key, value] = word.split('=', 2);
    if (!key || value === undefined) throw new Error(`${name}: ${word} is not VAR=value`);
    env[key] = value;
  }
  const nodeFlags = words.slice(node + 1, -1);
  if (nodeFlags.some((flag) => !flag.startsWith('--')))
    throw new Error(`${name}: only --flags may stand between node and the file: ${line}`);
  return { env, nodeFlags, script };
}
