import type { types } from '@slack/bolt';
import type { DropOffPoint } from '../../../core/places/dropOffPoints.js';
import { formatHoursText } from '../../../core/places/hoursText.js';
import { geocodePostcode } from '../../../core/places/postcodeGeocoder.js';
import { PLEDGE_ITEM_KINDS } from '../../../core/pledges/pledgeDraft.js';
import { context, input, modal, option, section, textInput, type Block, type ModalView } from '../blocks/kit.js';
import type { Say } from '../blocks/requestCard.js';
import { escapeMrkdwn } from '../slackText.js';

export const PLACE_VIEW = 'drop_off_point';
/** Block ids of the form; each text input's action id is `value`. */
export const PLACE_BLOCKS = {
  name: 'name',
  address: 'address',
  postcode: 'postcode',
  city: 'city',
  latitude: 'latitude',
  longitude: 'longitude',
  hours: 'hours',
  items: 'items',
  active: 'active',
} as const;
export const ACTIVE_OPTION = 'active';
/** what the modal's checkboxes offer: the donors' item vocabulary (pledge flows, `findPlaces` accepts) */
export const PLACE_ITEM_KINDS = PLEDGE_ITEM_KINDS;

/** Same limits as the admin API (placeFieldsSchema). */
const MAX = { name: 120, address: 200, postcode: 10, city: 80, latitude: 20, longitude: 20, hours: 1000 } as const;

const sameSpot = (a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }) =>
  Math.abs(a.latitude - b.latitude) < 1e-9 && Math.abs(a.longitude - b.longitude) < 1e-9;

/**
 * Coordinates to show for editing: none when they are the postcode's centre (they were
 * geocoded, so a new postcode moves the point), the typed ones otherwise.
 */
function typedCoordinates(place: DropOffPoint | undefined): { latitude: string; longitude: string } | null {
  if (!place || place.latitude === null || place.longitude === null) return null;
  const point = { latitude: place.latitude, longitude: place.longitude };
  const centre = place.postcode ? geocodePostcode(place.postcode) : undefined;
  if (centre && sameSpot(point, centre)) return null;
  return { latitude: String(point.latitude), longitude: String(point.longitude) };
}

function checkboxes(
  actionId: string,
  options: types.PlainTextOption[],
  initial: types.PlainTextOption[],
): types.Checkboxes {
  return {
    type: 'checkboxes',
    action_id: actionId,
    options,
    ...(initial.length > 0 ? { initial_options: initial } : {}),
  };
}

function textField(
  block: keyof typeof MAX & keyof typeof PLACE_BLOCKS,
  label: string,
  initial: string | null | undefined,
  options: { optional?: boolean; hint?: string; placeholder?: string } = {},
): Block {
  return input(
    PLACE_BLOCKS[block],
    label,
    textInput('value', {
      maxLength: MAX[block],
      ...(initial ? { initial } : {}),
      ...(options.placeholder ? { placeholder: options.placeholder } : {}),
    }),
    options,
  );
}

/**
 * Adding or editing a drop-off point: name, address, postcode, town, optional coordinates
 * (else the postcode's centre), weekly hours typed as `lun-ven 09:00-12:00 14:00-18:00`,
 * accepted items (the donors' vocabulary) and whether donors are shown it. Items set through
 * the admin API outside that vocabulary (`charger`) are listed and kept as they are.
 */
export function placeModal(
  m: { place?: DropOffPoint; associationName: string; language: string },
  say: Say,
): ModalView {
  const { place } = m;
  const itemOptions = PLACE_ITEM_KINDS.map((kind) => option(say(`slack:pledge_item.${kind}`), kind));
  const activeOption = option(say('slack:places.active_option'), ACTIVE_OPTION);
  const coordinates = typedCoordinates(place);
  const otherItems = place?.acceptedItems.filter((item) => !PLACE_ITEM_KINDS.some((kind) => kind === item)) ?? [];
  const hoursText = place ? formatHoursText(place.hours, m.language) : '';
  return modal(
    PLACE_VIEW,
    say(place ? 'slack:places.title_edit' : 'slack:places.title_new'),
    [
      section(say('slack:places.intro', { association: escapeMrkdwn(place?.associationName ?? m.associationName) })),
      textField('name', say('slack:places.name'), place?.name),
      textField('address', say('slack:places.address'), place?.address),
      textField('postcode', say('slack:places.postcode'), place?.postcode, { placeholder: '62100' }),
      textField('city', say('slack:places.city'), place?.city, { optional: true }),
      textField('latitude', say('slack:places.latitude'), coordinates?.latitude, {
        optional: true,
        placeholder: '50.9472',
      }),
      textField('longitude', say('slack:places.longitude'), coordinates?.longitude, {
        optional: true,
        placeholder: '1.8623',
        hint: say('slack:places.coordinates_hint'),
      }),
      input(
        PLACE_BLOCKS.hours,
        say('slack:places.hours'),
        textInput('value', {
          multiline: true,
          maxLength: MAX.hours,
          ...(hoursText ? { initial: hoursText } : {}),
          placeholder: say('slack:places.hours_placeholder'),
        }),
        { optional: true, hint: say('slack:places.hours_hint') },
      ),
      input(
        PLACE_BLOCKS.items,
        say('slack:places.items'),
        checkboxes(
          'items',
          itemOptions,
          itemOptions.filter((o) => place?.acceptedItems.includes(o.value ?? '')),
        ),
      ),
      ...(otherItems.length > 0
        ? [context(say('slack:places.other_items', { items: escapeMrkdwn(otherItems.join(', ')) }))]
        : []),
      input(
        PLACE_BLOCKS.active,
        say('slack:places.status'),
        checkboxes('active', [activeOption], !place || place.active ? [activeOption] : []),
        { optional: true },
      ),
    ],
    {
      submit: say('slack:places.submit'),
      close: say('slack:modal.cancel'),
      metadata: place ? { placeId: place.id } : {},
    },
  );
}
