import type { App } from '@slack/bolt';
import { z } from 'zod';
import { associationName } from '../../../core/associations/associationQueries.js';
import { NotFound } from '../../../core/errors.js';
import { claimOnce } from '../../../core/idempotency/claimOnce.js';
import { findDropOffPoint } from '../../../core/places/dropOffPoints.js';
import { createPlace, updatePlace, type PlaceActor, type SavedPlace } from '../../../core/places/placeService.js';
import { assertCanManagePlace, canManagePlace } from '../../../core/staff/staffAccess.js';
import { runStaffAction } from '../../../core/staff/staffTransaction.js';
import { PLACE_ACTIONS } from '../blocks/placeList.js';
import { readPlaceForm } from '../modals/placeForm.js';
import { PLACE_BLOCKS, PLACE_ITEM_KINDS, PLACE_VIEW, placeModal } from '../modals/placeModal.js';
import { onSubmission, type SubmissionOutcome } from '../modals/submission.js';
import { sayIn, type SlackDeps } from '../slackDeps.js';
import { escapeMrkdwn } from '../slackText.js';
import { tellUser } from '../staffGate.js';
import { onRequestButton } from './requestButtons.js';

const metadataSchema = z.object({ placeId: z.string().uuid().optional() });

/** Items outside the modal's checkboxes (set through the admin API, e.g. `charger`) survive an edit. */
const otherItems = (items: string[]) => items.filter((item) => !PLACE_ITEM_KINDS.some((kind) => kind === item));

/**
 * Drop-off points from Slack: `/relais places` lists them (placesCommand); "Add a drop-off
 * point" and "Edit" open the modal for coordinators (their association's points) and admins;
 * a volunteer is told politely and nothing opens. The submission is validated like the admin
 * API (same schema and service), saved and audited (`place.created` / `place.updated`, staff
 * actor) in one transaction; a replayed submission (same view id) has no second effect.
 * Unticking "active" takes the point out of the donors' nearest-point search.
 */
export function registerPlaces(app: App, deps: SlackDeps): void {
  onRequestButton(
    app,
    deps,
    PLACE_ACTIONS.add,
    async ({ staff, client, audience, triggerId }) => {
      const say = sayIn(deps, staff.language);
      if (!canManagePlace(staff)) return tellUser(client, audience, say('slack:places.coordinators_only'));
      if (!triggerId) return;
      const name = await associationName(deps.db, staff.associationId);
      await client.views.open({
        trigger_id: triggerId,
        view: placeModal({ associationName: name, language: staff.language }, say),
      });
    },
    () => 'new',
  );

  onRequestButton(app, deps, PLACE_ACTIONS.edit, async ({ staff, requestId: placeId, client, audience, triggerId }) => {
    const say = sayIn(deps, staff.language);
    const place = await findDropOffPoint(deps.db, placeId);
    if (!place) throw new NotFound('place');
    if (!canManagePlace(staff, place)) return tellUser(client, audience, say('slack:places.coordinators_only'));
    if (!triggerId) return;
    await client.views.open({
      trigger_id: triggerId,
      view: placeModal(
        { place, associationName: place.associationName ?? say('slack:places.network'), language: staff.language },
        say,
      ),
    });
  });

  onSubmission(
    app,
    deps,
    PLACE_VIEW,
    PLACE_BLOCKS.name,
    async ({ staff, say, state, metadata, viewId, client }): Promise<SubmissionOutcome> => {
      const { placeId } = metadataSchema.parse(metadata);
      // a forged submission from a volunteer is refused before anything is read or written
      if (!canManagePlace(staff)) return { errors: { [PLACE_BLOCKS.name]: say('slack:places.coordinators_only') } };
      const read = readPlaceForm(state, say);
      if ('errors' in read) return read;
      const actor: PlaceActor = { type: 'STAFF', id: staff.id };
      const saved = await runStaffAction<{ place: SavedPlace | null; jobIds?: string[] }>(deps, async (tx) => {
        // a submission delivered twice must not create the point twice
        if (!(await claimOnce(tx, `slack:view:${viewId}`))) return { place: null };
        if (!placeId)
          return {
            place: await createPlace(
              tx,
              { ...read.form, category: 'DROP_OFF', associationId: staff.associationId },
              actor,
            ),
          };
        const current = await findDropOffPoint(tx, placeId);
        if (!current) throw new NotFound('place');
        assertCanManagePlace(staff, current);
        return {
          place: await updatePlace(
            tx,
            placeId,
            { ...read.form, acceptedItems: [...read.form.acceptedItems, ...otherItems(current.acceptedItems)] },
            actor,
          ),
        };
      });
      if (saved.place) {
        const status = say(saved.place.active ? 'slack:places.active' : 'slack:places.inactive');
        await tellUser(
          client,
          { userId: staff.slackUserId },
          say('slack:places.saved', { name: escapeMrkdwn(saved.place.name), status }),
        );
      }
      return { close: true };
    },
  );
}
