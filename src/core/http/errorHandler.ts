import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import {
  DependencyUnavailable,
  RelaisError,
  TurnTimedOut,
  isDatabaseUnavailable,
  isUnstorableText,
} from '../errors.js';

/** Fastify's answer to a handler still running at `handlerTimeout` (the net under the turn's own limits) */
const HANDLER_TIMEOUT = 'FST_ERR_HANDLER_TIMEOUT';

/**
 * The one place that turns errors into HTTP answers for machines: 4xx for bad input, 503 +
 * Retry-After when a dependency is down or a turn waited too long (the platform retries).
 */
export function errorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  const timedOut = 'code' in error && error.code === HANDLER_TIMEOUT;
  if (error instanceof DependencyUnavailable || isDatabaseUnavailable(error) || timedOut) {
    const waited = error instanceof TurnTimedOut ? error.waited : timedOut ? 'handler' : undefined;
    const code = 'RELAIS_DEPENDENCY_UNAVAILABLE';
    request.log.warn({ code, ...(waited ? { waited } : {}) }, 'dependency unavailable');
    return reply
      .status(503)
      .header('retry-after', '5')
      .send({ error: 'RELAIS_DEPENDENCY_UNAVAILABLE', message: 'temporarily unavailable, retry later' });
  }
  if (error instanceof RelaisError) {
    return reply.status(error.httpStatus).send({ error: error.code, message: error.message });
  }
  if (error instanceof ZodError) {
    return reply.status(400).send({
      error: 'RELAIS_BAD_REQUEST',
      message: 'invalid body',
      issues: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  if (isUnstorableText(error)) {
    return reply
      .status(400)
      .send({ error: 'RELAIS_BAD_REQUEST', message: 'a text field contains a character that cannot be stored (NUL)' });
  }
  const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status >= 400 && status < 500) {
    return reply
      .status(status)
      .send({ error: 'code' in error && error.code ? error.code : 'RELAIS_BAD_REQUEST', message: error.message });
  }
  // the logger's error serializer keeps the class, code and frames, never the message (it may quote values)
  request.log.error({ err: error }, 'unhandled error');
  return reply.status(500).send({ error: 'RELAIS_INTERNAL', message: 'internal error' });
}
