import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/core/config.js';

describe('inbound wait limits', () => {
  it('default to a 10 s turn and a 2 s lock wait, and refuse a lock wait as long as the turn', () => {
    expect(loadConfig({})).toMatchObject({ INBOUND_TURN_TIMEOUT_MS: 10_000, INBOUND_LOCK_TIMEOUT_MS: 2000 });
    const sameAsTurn = { INBOUND_TURN_TIMEOUT_MS: '3000', INBOUND_LOCK_TIMEOUT_MS: '3000' };
    const oneLine = /^Invalid configuration:\n {2}- INBOUND_LOCK_TIMEOUT_MS: must be below INBOUND_TURN_TIMEOUT_MS$/;
    expect(() => loadConfig(sameAsTurn)).toThrow(oneLine);
  });
});
