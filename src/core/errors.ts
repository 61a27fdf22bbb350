/**
 * Errors with stable codes. Domain errors are turned into a localized sentence for a person
 * (i18n key `errors:<code>`) or an HTTP status for a machine in one place each
 * (src/core/http/errorHandler.ts and the Slack/flow renderers).
 */
export class RelaisError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus = 400,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFound extends RelaisError {
  constructor(what: string) {
    super('RELAIS_NOT_FOUND', `${what} not found`, 404);
  }
}

export class Forbidden extends RelaisError {
  constructor(reason = 'not allowed') {
    super('RELAIS_FORBIDDEN', reason, 403);
  }
}

/** A body or query names an association, pledge… that does not exist (or that the caller may not see). */
export class UnknownReference extends RelaisError {
  constructor(what: string) {
    super('RELAIS_UNKNOWN_REFERENCE', `the ${what} referred to does not exist`, 422);
  }
}

export class InvalidTransition extends RelaisError {
  constructor(entity: string, from: string, to: string) {
    super('RELAIS_INVALID_TRANSITION', `${entity} cannot go from ${from} to ${to}`, 409);
  }
}

export class DeviceAlreadyAllocated extends RelaisError {
  constructor() {
    super('RELAIS_DEVICE_TAKEN', 'this device is already allocated', 409);
  }
}

export class RequestAlreadyServed extends RelaisError {
  constructor() {
    super('RELAIS_REQUEST_SERVED', 'this request has already been served', 409);
  }
}

/** Someone else claimed (or is serving) this request first. */
export class RequestAlreadyClaimed extends RelaisError {
  constructor() {
    super('RELAIS_REQUEST_CLAIMED', 'this request is already claimed by someone else', 409);
  }
}

/** The action does not apply to this kind of request (a device for a recharge request). */
export class WrongRequestKind extends RelaisError {
  constructor(expected: string) {
    super('RELAIS_WRONG_REQUEST_KIND', `this action needs a ${expected} request`, 409);
  }
}

/** The person cannot be written to (erased, no identity left). */
export class ContactUnreachable extends RelaisError {
  constructor() {
    super('RELAIS_CONTACT_UNREACHABLE', 'the person can no longer be reached', 409);
  }
}

export class DependencyUnavailable extends RelaisError {
  constructor(
    readonly dependency: 'postgres' | 'redis',
    cause?: unknown,
  ) {
    super('RELAIS_DEPENDENCY_UNAVAILABLE', `${dependency} is unavailable`, 503);
    this.cause = cause;
  }
}

/** What an inbound turn waited for too long: a place in the batch queue, a lock, a statement, its whole budget. */
export type TurnWait = 'queue' | 'lock' | 'statement' | 'budget';

/**
 * An inbound turn gave up waiting before the webhook could time out (INBOUND_TURN_TIMEOUT_MS,
 * INBOUND_LOCK_TIMEOUT_MS). Its transaction was rolled back, nothing is stored: like Postgres
 * down, the webhook answers 503 + Retry-After and the platform delivers it again.
 */
export class TurnTimedOut extends DependencyUnavailable {
  constructor(
    readonly waited: TurnWait,
    cause?: unknown,
  ) {
    super('postgres', cause);
  }
}

/** lock_not_available (lock_timeout) and query_canceled (statement_timeout) */
const WAIT_CODES = new Map<string, TurnWait>([
  ['55P03', 'lock'],
  ['57014', 'statement'],
]);

/**
 * What a Postgres error says the turn waited for too long (lock_timeout, statement_timeout),
 * through pg's error, Prisma's (`Code: \`55P03\``) and their causes; undefined otherwise.
 */
export function waitTimedOut(error: unknown): TurnWait | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    const code = 'code' in current ? String(current.code) : '';
    const message = 'message' in current ? String(current.message) : '';
    const wrapped = /Code: `(55P03|57014)`/.exec(message)?.[1];
    const original = prismaOriginalCode(current);
    const wait = [code, wrapped, original].map((c) => (c ? WAIT_CODES.get(c) : undefined)).find((w) => w !== undefined);
    if (wait) return wait;
    current = 'cause' in current ? current.cause : undefined;
  }
  return undefined;
}

function prismaOriginalCode(error: object): string | undefined {
  const meta = 'meta' in error ? error.meta : undefined;
  const adapter = isObject(meta) && 'driverAdapterError' in meta ? meta.driverAdapterError : undefined;
  const cause = isObject(adapter) && 'cause' in adapter ? adapter.cause : undefined;
  return isObject(cause) && 'originalCode' in cause ? String(cause.originalCode) : undefined;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** The platform refused the message for good (blocked bot, unknown chat, bad payload): do not retry. */
export class PlatformRejected extends RelaisError {
  constructor(
    readonly platform: string,
    readonly reason: string,
  ) {
    super('RELAIS_PLATFORM_REJECTED', `${platform} rejected the message: ${reason}`, 502);
  }
}

/** The platform asked us to slow down; retry after `retryAfterMs`. */
export class PlatformRateLimited extends RelaisError {
  constructor(
    readonly platform: string,
    readonly retryAfterMs: number,
  ) {
    super('RELAIS_PLATFORM_RATE_LIMITED', `${platform} asked to retry after ${retryAfterMs} ms`, 503);
  }
}

/** Network failure or 5xx from the platform: transient, retried with backoff. */
export class PlatformUnreachable extends RelaisError {
  constructor(
    readonly platform: string,
    cause?: unknown,
  ) {
    super('RELAIS_PLATFORM_UNREACHABLE', `${platform} could not be reached`, 503);
    this.cause = cause;
  }
}

/** The channel cannot send right now (WhatsApp session lost): keep messages queued. */
export class ChannelOffline extends RelaisError {
  constructor(readonly platform: string) {
    super('RELAIS_CHANNEL_OFFLINE', `${platform} session is not ready`, 503);
  }
}

const connectionCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
  '57P01',
  '57P03',
  '08006',
  '08001',
  '08003',
  'P1001',
  'P1017',
  'P2024',
  'P2028',
]);

/** Messages of a connection failure, whatever the driver layer that raised it. */
const CONNECTION_FAILURE = new RegExp(
  [
    'ECONNREFUSED',
    'Connection terminated',
    'connection timeout',
    'timeout exceeded when trying to connect',
    "Can't reach database",
    'Too many database connections',
    'the database system is (starting up|shutting down)',
  ].join('|'),
  'i',
);

/** True when an error means Postgres could not be reached (as opposed to a bad query). */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current; depth++) {
    if (typeof current === 'object' && current !== null) {
      const code = 'code' in current ? String(current.code) : '';
      const message = 'message' in current ? String(current.message) : '';
      if (connectionCodes.has(code)) return true;
      if (CONNECTION_FAILURE.test(message)) return true;
      current = 'cause' in current ? current.cause : undefined;
    } else break;
  }
  return false;
}

/** Messages of a value Postgres cannot store as text, as the driver layers word them. */
const UNSTORABLE_TEXT = new RegExp(
  [
    'Code: `(22021|22P05)`',
    'invalid byte sequence for encoding "UTF8": 0x00',
    'unsupported Unicode escape sequence',
    'surrogate',
  ].join('|'),
  'i',
);

/**
 * True when Postgres refused a value it cannot store as text (NUL, or an invalid escape in
 * jsonb: SQLSTATE 22021 / 22P05). That is bad input from the client, not a server fault:
 * the HTTP error handler answers 400.
 */
export function isUnstorableText(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current; depth++) {
    if (typeof current !== 'object' || current === null) break;
    const code = 'code' in current ? String(current.code) : '';
    const message = 'message' in current ? String(current.message) : '';
    if (code === '22021' || code === '22P05' || UNSTORABLE_TEXT.test(message)) return true;
    current = 'cause' in current ? current.cause : undefined;
  }
  return false;
}

/**
 * The platform lets the business write first only with an approved template (WhatsApp Cloud
 * API: more than 24 h after the person's last message) and none fits this message: it is
 * HELD, staff are told, and it leaves when the person writes again.
 */
export class OutsideWindow extends RelaisError {
  constructor(readonly platform: string) {
    super('RELAIS_OUTSIDE_WINDOW', `${platform} needs a template for this message`, 409);
  }
}
