/**
 * What of an error may be logged: its class, its code, where it was thrown, and for a database
 * error the names of the table, column, constraint and routine involved. Never its message:
 * Postgres writes the offending value into the message, `detail` and `where` ("value
 * \"99999999999999999999\" is out of range for type bigint", "Key (x)=(…) already exists"),
 * Prisma repeats them in its own message and `meta`, and JSON.parse quotes its input. The
 * logger applies this to every `err`, `error` and `cause` it is given.
 */
export interface LoggedError {
  type: string;
  code?: string;
  /** a Postgres error's SQLSTATE (22003, 57P01): apart from `code`, which the logger censors unless named */
  sqlState?: string;
  /** the SQLSTATE under a Prisma error (P2010 "raw query failed" carries the real reason) */
  dbCode?: string;
  table?: string;
  column?: string;
  constraint?: string;
  routine?: string;
  /** the stack's frames only (its first lines repeat the message) */
  stack?: string;
  cause?: LoggedError;
}

const MAX_DEPTH = 3;
/** SQLSTATE classes start with a digit or are F0, HV, P0, XX (Node's codes start with E, Prisma's are P + 4 digits) */
const SQLSTATE = /^(?:[0-9][0-9A-Z]|F0|HV|P0|XX)[0-9A-Z]{3}$/;
const NAME = /^[A-Za-z0-9_$.:-]{1,80}$/;

function field(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && NAME.test(value) ? value : undefined;
}

function frames(stack: unknown): string | undefined {
  if (typeof stack !== 'string') return undefined;
  const lines = stack.split('\n').filter((line) => /^\s+at /.test(line));
  return lines.length > 0 ? lines.join('\n') : undefined;
}

/** Prisma's driver-adapter errors keep the SQLSTATE under meta.driverAdapterError.cause.originalCode. */
function prismaDbCode(meta: unknown): string | undefined {
  if (typeof meta !== 'object' || meta === null) return undefined;
  if ('code' in meta && field(meta.code)) return field(meta.code);
  const adapter = 'driverAdapterError' in meta ? meta.driverAdapterError : undefined;
  const cause = typeof adapter === 'object' && adapter !== null && 'cause' in adapter ? adapter.cause : undefined;
  return typeof cause === 'object' && cause !== null && 'originalCode' in cause ? field(cause.originalCode) : undefined;
}

/** The loggable part of any thrown value (an Error, a plain object already summarised, anything). */
export function errorForLog(error: unknown, depth = 0): LoggedError {
  if (typeof error !== 'object' || error === null) return { type: typeof error };
  const get = (key: string): unknown => (key in error ? Reflect.get(error, key) : undefined);
  const type = error instanceof Error ? error.name : (field(get('type')) ?? 'object');
  const out: LoggedError = { type };
  const code = field(get('code'));
  if (code && SQLSTATE.test(code)) out.sqlState = code;
  else if (code) out.code = code;
  const dbCode = prismaDbCode(get('meta'));
  if (dbCode) out.dbCode = dbCode;
  for (const key of ['table', 'column', 'constraint', 'routine'] as const) {
    const value = field(get(key));
    if (value) out[key] = value;
  }
  const stack = frames(get('stack'));
  if (stack) out.stack = stack;
  const cause = get('cause');
  if (cause !== undefined && depth < MAX_DEPTH) out.cause = errorForLog(cause, depth + 1);
  return out;
}
