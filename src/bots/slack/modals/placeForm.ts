import { parseHoursText, type HoursTextProblem } from '../../../core/places/hoursText.js';
import type { DropOffPoint } from '../../../core/places/dropOffPoints.js';
import { newPlaceSchema } from '../../../core/places/placeService.js';
import { geocodePostcode } from '../../../core/places/postcodeGeocoder.js';
import type { Say } from '../blocks/requestCard.js';
import { ACTIVE_OPTION, PLACE_BLOCKS, PLACE_ITEM_KINDS } from './placeModal.js';
import type { ViewState } from './viewState.js';

/** What the drop-off point modal describes, ready for createPlace / updatePlace: a point without its ids. */
export type PlaceForm = Omit<DropOffPoint, 'id' | 'associationId' | 'associationName'>;

type Errors = Record<string, string>;

/** "50.9472" or "50,9472" → 50.9472; null when empty; NaN when not a number. */
function coordinate(text: string | null): number | null {
  if (text === null) return null;
  return /^[-+]?\d{1,3}([.,]\d+)?$/.test(text) ? Number(text.replace(',', '.')) : Number.NaN;
}

function hoursError(error: HoursTextProblem, say: Say): string {
  return say(`slack:places.hours_${error.problem}`, { line: error.line, token: error.token ?? '' });
}

/** The schema's field names → the modal's blocks. */
const blockOfField: Record<string, string> = {
  name: PLACE_BLOCKS.name,
  address: PLACE_BLOCKS.address,
  postcode: PLACE_BLOCKS.postcode,
  city: PLACE_BLOCKS.city,
  latitude: PLACE_BLOCKS.latitude,
  longitude: PLACE_BLOCKS.longitude,
  hours: PLACE_BLOCKS.hours,
  acceptedItems: PLACE_BLOCKS.items,
};

/**
 * Reads the drop-off point modal: every problem at once, as a sentence under its field.
 * Coordinates left empty are the postcode's centre (offline dataset); an unknown postcode
 * then needs typed coordinates. The result is checked with the admin API's schema
 * (`newPlaceSchema`), so Slack accepts nothing the API would refuse.
 */
export function readPlaceForm(state: ViewState, say: Say): { form: PlaceForm } | { errors: Errors } {
  const errors: Errors = {};
  const text = (block: string) => state.text(block, 'value');
  const name = text(PLACE_BLOCKS.name);
  const address = text(PLACE_BLOCKS.address);
  const postcode = text(PLACE_BLOCKS.postcode)?.replace(/\s/g, '') ?? null;
  if (!name) errors[PLACE_BLOCKS.name] = say('slack:places.invalid.name');
  if (!address) errors[PLACE_BLOCKS.address] = say('slack:places.invalid.address');
  if (!postcode) errors[PLACE_BLOCKS.postcode] = say('slack:places.invalid.postcode');

  let latitude = coordinate(text(PLACE_BLOCKS.latitude));
  let longitude = coordinate(text(PLACE_BLOCKS.longitude));
  if (Number.isNaN(latitude)) errors[PLACE_BLOCKS.latitude] = say('slack:places.invalid.latitude');
  if (Number.isNaN(longitude)) errors[PLACE_BLOCKS.longitude] = say('slack:places.invalid.longitude');
  if ((latitude === null) !== (longitude === null))
    errors[latitude === null ? PLACE_BLOCKS.latitude : PLACE_BLOCKS.longitude] = say(
      'slack:places.coordinates_together',
    );
  if (latitude === null && longitude === null && postcode) {
    const centre = geocodePostcode(postcode);
    if (centre) ({ latitude, longitude } = centre);
    else errors[PLACE_BLOCKS.postcode] = say('slack:places.postcode_unknown');
  }

  const hours = parseHoursText(text(PLACE_BLOCKS.hours) ?? '');
  if (!hours.ok) errors[PLACE_BLOCKS.hours] = hoursError(hours.error, say);
  const acceptedItems = PLACE_ITEM_KINDS.filter((kind) =>
    state.selectedMany(PLACE_BLOCKS.items, 'items').includes(kind),
  );
  if (acceptedItems.length === 0) errors[PLACE_BLOCKS.items] = say('slack:places.items_required');
  const active = state.selectedMany(PLACE_BLOCKS.active, 'active').includes(ACTIVE_OPTION);
  if (Object.keys(errors).length > 0 || !hours.ok) return { errors };

  const checked = newPlaceSchema.safeParse({
    name,
    category: 'DROP_OFF',
    address,
    postcode,
    city: text(PLACE_BLOCKS.city),
    latitude,
    longitude,
    hours: hours.hours,
    acceptedItems,
    active,
  });
  if (checked.success) {
    const d = checked.data;
    return {
      form: {
        name: d.name,
        address: d.address ?? null,
        postcode: d.postcode ?? null,
        city: d.city ?? null,
        latitude: d.latitude ?? null,
        longitude: d.longitude ?? null,
        hours: d.hours ?? [],
        acceptedItems: d.acceptedItems ?? [],
        active: d.active ?? true,
      },
    };
  }
  for (const issue of checked.error.issues) {
    const block = blockOfField[String(issue.path[0])] ?? PLACE_BLOCKS.name;
    errors[block] ??= say(`slack:places.invalid.${block}`);
  }
  return { errors };
}
