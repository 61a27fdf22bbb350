import { onPrismaTransaction, type CommandHandlers } from '../commands/commandEnv.js';
import { commandEvent } from '../commands/commandEvents.js';
import type { Tx } from '../db.js';
import { recordAudit } from '../audit/auditTrail.js';
import { OPEN_STATUSES } from '../requests/requestStatus.js';
import { formatCode, parseCode } from '../conversation/reconnectCodeFormat.js';
import { checkReconnectCode, codeHash, issuePersonalCode, linkIdentity } from './reconnectCodes.js';
import { warnPreviousAccounts } from './linkWarnings.js';

/**
 * After an identity moved to another profile, the profile it leaves is dropped when it holds
 * nothing (a blank profile made by a new phone before the person typed their code): its few
 * messages follow the person, it leaves the handset's profile list. A profile with requests
 * or pledges stays (a shared handset: that person comes back with their own code).
 */
async function dropIfEmpty(tx: Tx, contactId: string, identityId: string, movedTo: string): Promise<void> {
  const contact = await tx.contact.findUnique({
    where: { id: contactId },
    select: { _count: { select: { requests: true, pledges: true, identities: true } } },
  });
  if (!contact || contact._count.requests + contact._count.pledges + contact._count.identities > 0) return;
  await tx.message.updateMany({ where: { contactId }, data: { contactId: movedTo } });
  await tx.contact.delete({ where: { id: contactId } });
  const identity = await tx.channelIdentity.findUniqueOrThrow({
    where: { id: identityId },
    select: { profileIds: true },
  });
  await tx.channelIdentity.update({
    where: { id: identityId },
    data: { profileIds: identity.profileIds.filter((id) => id !== contactId) },
  });
}

/** Commands about who is writing: reconnection codes and several people on one handset. */
export const profileCommands: CommandHandlers = {
  issuePersonalCode: onPrismaTransaction(async (_command, env) => {
    const days = env.config.PERSONAL_CODE_VALIDITY_DAYS;
    const code = await issuePersonalCode(env.tx, env.secrets, env.contactId, days, env.now);
    return { values: { code: formatCode(code), days } };
  }),

  checkReconnectCode: onPrismaTransaction(async (command, env) => {
    const { config, guessAddress } = env;
    const perAddress = config.RECONNECT_CODE_FAILURES_PER_ADDRESS_PER_HOUR;
    const address = guessAddress ? { ...guessAddress, failuresPerHour: perAddress } : undefined;
    const perChannel = config.RECONNECT_CODE_FAILURES_PER_HOUR;
    const budget = { channel: env.channel, failuresPerHour: perChannel, ...(address ? { address } : {}) };
    // the flow sends only what parseCode kept; anything else cannot be found, and counts as wrong
    const hash = codeHash(env.secrets, parseCode(command.code) ?? command.code);
    const check = await checkReconnectCode(env.tx, env.identityId, hash, env.now, budget, env.inboundMessageId);
    if (check.result === 'invalid') {
      return { event: commandEvent('codeChecked', { result: 'invalid', attemptsLeft: check.attemptsLeft }) };
    }
    if (check.result !== 'ok') return { event: commandEvent('codeChecked', { result: check.result }) };
    // a minimal hint so the person can recognise their profile: never the details of a request
    const profile = await env.tx.contact.findUniqueOrThrow({
      where: { id: check.contactId },
      select: { language: true, _count: { select: { requests: { where: { status: { in: [...OPEN_STATUSES] } } } } } },
    });
    // the conversation keeps the code's keyed hash until "is this you?" is answered, never the digits
    const hint = { openRequests: profile._count.requests, language: profile.language };
    return {
      event: commandEvent('codeChecked', { result: 'ok', contactId: check.contactId, codeHash: hash, ...hint }),
    };
  }),

  linkIdentity: onPrismaTransaction(async (command, env) => {
    const previous = env.contactId;
    const linked = await linkIdentity(env.tx, env.identityId, command.codeHash, env.now);
    if (!linked) return { event: commandEvent('identityLinked', { linked: false }) };
    // the person's other accounts learn of it in the person's language, before this account
    // sets its own: someone who took over a record cannot do it silently
    const warned = await warnPreviousAccounts(env, linked.contactId, linked.previousIdentities);
    // the person just chose the language they read on this account: keep it for them
    await env.tx.contact.update({
      where: { id: linked.contactId },
      data: { language: env.language, status: 'ACTIVE', lastSeenAt: env.now },
    });
    env.contactId = linked.contactId;
    if (previous !== linked.contactId) await dropIfEmpty(env.tx, previous, env.identityId, linked.contactId);
    return { event: commandEvent('identityLinked', { linked: true }), ...warned };
  }),

  startNewProfile: onPrismaTransaction(async (_command, env) => {
    const contact = await env.tx.contact.create({
      data: { kind: 'BENEFICIARY', lastSeenAt: env.now },
      select: { id: true },
    });
    const identity = await env.tx.channelIdentity.findUniqueOrThrow({
      where: { id: env.identityId },
      select: { profileIds: true },
    });
    await env.tx.channelIdentity.update({
      where: { id: env.identityId },
      data: { contactId: contact.id, profileIds: [...new Set([...identity.profileIds, contact.id])] },
    });
    await recordAudit(env.tx, {
      actorType: 'CONTACT',
      actorId: contact.id,
      action: 'profile.started',
      entityType: 'ChannelIdentity',
      entityId: env.identityId,
    });
    env.contactId = contact.id;
    return {};
  }),
};
