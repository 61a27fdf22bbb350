import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { TurnTimedOut } from '../../../src/core/errors.js';
import { errorHandler } from '../../../src/core/http/errorHandler.js';
import { createLogger } from '../../../src/core/logger.js';
import { LogCapture } from '../../support/testRelais.js';

async function answer(handler: () => Promise<unknown>, handlerTimeout?: number) {
  const logs = new LogCapture();
  const app = Fastify({ loggerInstance: createLogger('info', logs), ...(handlerTimeout ? { handlerTimeout } : {}) });
  app.setErrorHandler(errorHandler);
  app.post('/webhook', handler);
  try {
    return { response: await app.inject({ method: 'POST', url: '/webhook', payload: {} }), logs };
  } finally {
    await app.close();
  }
}

describe('the HTTP error handler', () => {
  it('answers a turn that waited too long with 503 + Retry-After and logs what it waited for', async () => {
    const { response, logs } = await answer(async () => {
      throw new TurnTimedOut('lock');
    });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toMatchObject({ error: 'RELAIS_DEPENDENCY_UNAVAILABLE' });
    expect(logs.text).toContain('"waited":"lock"');
  });

  it('answers a handler still running at the handler timeout with 503 + Retry-After, not a cut', async () => {
    const { response, logs } = await answer(() => new Promise((resolve) => setTimeout(resolve, 1000)), 100);
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(logs.text).toContain('"waited":"handler"');
  });
});
