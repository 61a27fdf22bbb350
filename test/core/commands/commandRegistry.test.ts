import { describe, expect, it } from 'vitest';
import { COMMAND_HANDLERS } from '../../../src/core/commands/commandRegistry.js';
import type { CommandType } from '../../../src/core/commands/commandTypes.js';

// Record<CommandType, …> does not compile unless every member of the DomainCommand union is
// listed here, so a new command cannot be forgotten by this test.
const EVERY_COMMAND: Record<CommandType, 'implemented'> = {
  setLanguage: 'implemented',
  acceptPrivacy: 'implemented',
  pauseContact: 'implemented',
  setAnnouncements: 'implemented',
  resumeContact: 'implemented',
  eraseContact: 'implemented',
  createRequest: 'implemented',
  attachToRequest: 'implemented',
  cancelRequest: 'implemented',
  listMyRequests: 'implemented',
  findPlaces: 'implemented',
  issuePersonalCode: 'implemented',
  checkReconnectCode: 'implemented',
  linkIdentity: 'implemented',
  startNewProfile: 'implemented',
  answerFollowUp: 'implemented',
  createPledge: 'implemented',
  setDonorUpdates: 'implemented',
};

describe('command registry', () => {
  it('every domain command a flow can return has a handler', () => {
    expect(Object.keys(EVERY_COMMAND).filter((type) => !(type in COMMAND_HANDLERS))).toEqual([]);
  });

  it('no handler is registered for a command that does not exist', () => {
    expect(Object.keys(COMMAND_HANDLERS).filter((type) => !(type in EVERY_COMMAND))).toEqual([]);
  });
});
