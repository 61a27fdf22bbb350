import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { productionCommand } from '../../test/support/productionCommands.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COUNTER = fileURLToPath(new URL('./pgRoundTripCounter.mjs', import.meta.url));

/**
 * How services are run: as production runs them, i.e. package.json's `start:prod` /
 * `worker:prod` (the compiled build, with their node flags and environment, which the Docker
 * image and the Compose file share), unless BENCH_TSX=1 (`npm start`'s in-process TypeScript,
 * whose loader adds ~40 MB of RSS; the production flags and environment still apply). Scripts
 * outside src/ always run under tsx, plainly.
 */
function commandFor(script: string): { args: string[]; env: Record<string, string> } {
  if (!script.startsWith('src/')) return { args: ['--import', 'tsx', script], env: {} };
  const production = productionCommand(script === 'src/worker.ts' ? 'worker:prod' : 'start:prod');
  if (production.script !== join('dist', script.replace(/\.ts$/, '.js')))
    throw new Error(`the production command runs ${production.script}, not ${script}`);
  const entry = process.env.BENCH_TSX === '1' ? ['--import', 'tsx', script] : [join(ROOT, production.script)];
  return { args: [...production.nodeFlags, ...entry], env: production.env };
}

/** A process under measurement: its pid gives RSS from /proc, its preload counts Postgres round trips. */
export interface MeasuredProcess {
  child: ChildProcess;
  /** Postgres queries sent so far (the preload writes them every 250 ms) */
  roundTrips(): Promise<number>;
  rssMb(): number;
  /** samples RSS every 200 ms; returns the highest seen since the call */
  sampleRss(): () => number;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  stderr(): string;
}

/**
 * Starts a service script (compiled build, or under tsx: see commandFor) with the round-trip
 * counter preloaded and the given environment. Output is kept for errors.
 */
export function startMeasuredProcess(
  script: string,
  env: Record<string, string>,
  options: { cpuProfDir?: string } = {},
): MeasuredProcess {
  const dir = mkdtempSync(join(tmpdir(), 'relais-bench-'));
  const counterFile = join(dir, 'pg-round-trips');
  const profile = options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : [];
  const command = commandFor(script);
  const child = spawn(process.execPath, [...profile, '--import', COUNTER, ...command.args], {
    cwd: ROOT,
    env: { ...process.env, ...command.env, ...env, PG_ROUND_TRIPS_FILE: counterFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    err = (err + chunk.toString('utf8')).slice(-8000);
  });
  child.stdout?.on('data', () => undefined);
  const rssMb = () => readRssMb(child.pid);
  return {
    child,
    async roundTrips() {
      await new Promise((r) => setTimeout(r, 400));
      return Number(readFileSync(counterFile, 'utf8'));
    },
    rssMb,
    sampleRss() {
      let peak = rssMb();
      const timer = setInterval(() => {
        peak = Math.max(peak, rssMb());
      }, 200);
      return () => {
        clearInterval(timer);
        return Math.max(peak, rssMb());
      };
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill(signal);
      return exited;
    },
    stderr: () => err,
  };
}

/** Resident set size of a process in MB, from /proc (0 once it has exited). */
export function readRssMb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return Math.round((kb / 1024) * 10) / 10;
  } catch {
    return 0;
  }
}

/** Waits until `url` answers 200 (the service is up), or fails with its stderr. */
export async function waitForHttp(url: string, proc: MeasuredProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`process exited (${proc.child.exitCode}): ${proc.stderr()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms: ${proc.stderr()}`);
}

/** Runs a TypeScript script in a child process and returns its last stdout line (a JSON result). */
export async function runJsonScript(script: string, args: string[]): Promise<unknown> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`${script} exited with ${code}`);
  return JSON.parse(output.trim().split('\n').at(-1) ?? '');
}

export { freePort } from '../../test/support/freePort.js';
