import type { App } from '@slack/bolt';
import type { Config } from '../../../core/config.js';
import { NotFound } from '../../../core/errors.js';
import { errorSummary } from '../../../core/outbound/outboxDispatcher.js';
import { receiptData, RECEIPT_STATUSES, renderReceiptPdf } from '../../../core/pledges/pledgeReceipt.js';
import {
  holdReceiptShare,
  receiptSharingView,
  recordReceiptShared,
  releaseReceiptShare,
  type ReceiptSharingView,
} from '../../../core/pledges/receiptSharing.js';
import { canShareReceipt } from '../../../core/staff/staffAccess.js';
import { PLEDGE_ACTIONS } from '../blocks/pledgeCard.js';
import { slackErrorCode } from '../slackErrors.js';
import { cannotPostHere, shareFile } from '../slackFiles.js';
import { sayIn, type SlackDeps } from '../slackDeps.js';
import { tellUser } from '../staffGate.js';
import { onRequestButton, type ButtonContext } from './requestButtons.js';

type ReceiptPledge = Pick<ReceiptSharingView, 'slackChannelId' | 'slackTs' | 'associationChannelId'>;

/** Where a receipt may go: a channel, and the card's thread when the card is there. */
export interface ReceiptDestination {
  channelId: string;
  threadTs?: string;
}

/**
 * The receipt carries the donor's name, so it never goes to the triage channel, which every
 * association reads: the card's thread when the card is in the pledges channel, else the
 * channel of the association the pledge is routed to (no thread: the card is not there),
 * else nowhere.
 */
export function receiptDestination(
  pledge: ReceiptPledge,
  config: Pick<Config, 'SLACK_TRIAGE_CHANNEL'>,
): ReceiptDestination | null {
  const triage = config.SLACK_TRIAGE_CHANNEL ?? null;
  if (pledge.slackChannelId && pledge.slackTs && pledge.slackChannelId !== triage)
    return { channelId: pledge.slackChannelId, threadTs: pledge.slackTs };
  const ofAssociation = pledge.associationChannelId;
  if (ofAssociation && ofAssociation !== triage) return { channelId: ofAssociation };
  return null;
}

/** The "Receipt (PDF)" button: checks, renders the PDF, uploads it, audits. */
async function shareReceipt(deps: SlackDeps, ctx: ButtonContext): Promise<void> {
  const { staff, client, audience } = ctx;
  const say = sayIn(deps, staff.language);
  const tell = (text: string) => tellUser(client, audience, text);
  const pledge = await receiptSharingView(deps.db, ctx.requestId);
  if (!pledge) throw new NotFound('pledge');
  if (!canShareReceipt(staff, pledge)) return tell(say('slack:pledge.receipt_forbidden'));
  if (pledge.kind === 'SPONSORSHIP') return tell(say('slack:pledge.receipt_sponsorship'));
  if (!RECEIPT_STATUSES.includes(pledge.status))
    return tell(say('slack:pledge.receipt_not_collected', { reference: pledge.reference }));
  const destination = receiptDestination(pledge, deps.config);
  if (!destination) return tell(say('slack:pledge.receipt_no_channel', { id: pledge.id }));

  // a double click (two clicks arrive within ms) uploads once: the first holds this half-minute,
  // the second is told; the hold is given back if the upload fails
  const key = await holdReceiptShare(deps.db, pledge.id);
  if (!key) return tell(say('slack:pledge.receipt_just_shared', { reference: pledge.reference }));
  const release = () => releaseReceiptShare(deps.db, key);

  const pdf = await renderReceiptPdf(await receiptData(deps.db, pledge.id)).catch(async (error: unknown) => {
    await release();
    throw error;
  });
  // the file stays in the channel: its comment is in the channel's language, like the card
  const channelSay = sayIn(deps, deps.config.SLACK_LANGUAGE);
  let fileId: string | null;
  try {
    fileId = await shareFile(client, {
      channelId: destination.channelId,
      threadTs: destination.threadTs,
      bytes: pdf,
      filename: `receipt-${pledge.reference}.pdf`,
      title: channelSay('slack:pledge.receipt_title', { reference: pledge.reference }),
      comment: channelSay('slack:pledge.receipt_comment', { reference: pledge.reference, user: staff.slackUserId }),
    });
  } catch (error) {
    deps.log.warn(
      { err: errorSummary(error), slackError: slackErrorCode(error), pledgeId: pledge.id },
      'receipt upload failed',
    );
    await release();
    return tell(say(cannotPostHere(error) ? 'slack:pledge.receipt_not_in_channel' : 'slack:pledge.receipt_failed'));
  }
  await recordReceiptShared(deps.db, staff, pledge, {
    channelId: destination.channelId,
    inThread: destination.threadTs !== undefined,
    fileId,
  });
}

/**
 * "Receipt (PDF)" on a received pledge's card: the receipt (what was received, erasure
 * certificates, the donor's name) is uploaded into the card's thread for the association to
 * issue the official tax receipt. Coordinators of the pledge's association and admins only;
 * audited as `pledge.receipt_shared` (channel and file id, no personal data).
 */
export function registerPledgeReceipt(app: App, deps: SlackDeps): void {
  onRequestButton(app, deps, PLEDGE_ACTIONS.receipt, (ctx) => shareReceipt(deps, ctx));
}
