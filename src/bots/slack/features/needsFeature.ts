import type { App } from '@slack/bolt';
import { claimOnce } from '../../../core/idempotency/claimOnce.js';
import { NEEDS_FIELDS, needsSchema, saveNeeds, type Needs } from '../../../core/needs/needsCensus.js';
import { runStaffAction } from '../../../core/staff/staffTransaction.js';
import { NEEDS_VIEW } from '../modals/needsModal.js';
import type { ViewState } from '../modals/viewState.js';
import { onSubmission, type SubmissionOutcome } from '../modals/submission.js';
import { tellUser } from '../staffGate.js';
import type { SlackDeps } from '../slackDeps.js';
import { needsTotalsReply, seesNetworkNeeds } from './commands/needsCommand.js';

/** Reads the four numbers of the census modal; null for a field that is not a whole number in range. */
function readNeeds(state: ViewState): { needs: Needs } | { invalid: string } {
  const raw: Record<string, number> = {};
  for (const field of NEEDS_FIELDS) {
    const text = state.text(field, 'value') ?? '0';
    const value = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
    raw[field] = value;
    if (!Number.isInteger(value)) return { invalid: field };
  }
  const parsed = needsSchema.safeParse(raw);
  if (parsed.success) return { needs: parsed.data };
  return { invalid: String(parsed.error.issues[0]?.path[0] ?? NEEDS_FIELDS[0]) };
}

/**
 * The needs census: the `/relais needs` modal's submission replaces the association's
 * census (audited as `needs.updated`); the staff member gets a private confirmation,
 * coordinators and admins with the network totals.
 */
export function registerNeeds(app: App, deps: SlackDeps): void {
  onSubmission(
    app,
    deps,
    NEEDS_VIEW,
    NEEDS_FIELDS[0],
    async ({ staff, say, state, viewId, client }): Promise<SubmissionOutcome> => {
      const read = readNeeds(state);
      if ('invalid' in read) return { errors: { [read.invalid]: say('slack:needs.invalid') } };
      const saved = await runStaffAction<{ fresh: boolean; jobIds?: string[] }>(deps, async (tx) => {
        // a submission delivered twice must not be audited twice
        if (!(await claimOnce(tx, `slack:view:${viewId}`))) return { fresh: false };
        await saveNeeds(tx, staff, read.needs);
        return { fresh: true };
      });
      if (saved.fresh) {
        const totals = seesNetworkNeeds(staff) ? `\n\n${(await needsTotalsReply(deps, say)).text}` : '';
        await tellUser(client, { userId: staff.slackUserId }, `${say('slack:needs.saved')}${totals}`);
      }
      return { close: true };
    },
  );
}
