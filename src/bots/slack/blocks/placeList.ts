import type { NetworkPlace } from '../../../core/places/networkPlaces.js';
import { formatHoursText } from '../../../core/places/hoursText.js';
import { canManagePlace, type StaffActor } from '../../../core/staff/staffAccess.js';
import { escapeMrkdwn } from '../slackText.js';
import { actions, button, section, type Block } from './kit.js';
import type { Say } from './requestCard.js';

/** Buttons of `/relais places`: "Add a drop-off point" (value `new`) and each point's "Edit" (value: the place id). */
export const PLACE_ACTIONS = { add: 'places.add', edit: 'places.edit' } as const;

function itemLabel(item: string, say: Say): string {
  return say(`slack:pledge_item.${item}`, { defaultValue: item });
}

function ownerText(place: NetworkPlace, say: Say): string {
  if (place.owner === 'network') return say('slack:places.network');
  if (place.owner === 'other')
    return say('slack:place_list.other_association', { association: escapeMrkdwn(place.associationName ?? '') });
  return '';
}

/** One place: name, category and status, address, whose it is, what it accepts (drop-off points), its hours. */
export function placeText(place: NetworkPlace, staff: StaffActor, say: Say): string {
  const town = [place.postcode, place.city].filter(Boolean).join(' ');
  const where = [place.address, town].filter(Boolean).join(', ') || '—';
  const items = place.acceptedItems.map((i) => itemLabel(i, say)).join(', ');
  const hours = formatHoursText(place.hours, staff.language).split('\n').filter(Boolean).join(' · ');
  const category = say(`slack:place_list.category.${place.category}`);
  return [
    `*${escapeMrkdwn(place.name)}* · ${category} · ` +
      say(place.active ? 'slack:places.active' : 'slack:places.inactive'),
    [escapeMrkdwn(where), ownerText(place, say)].filter(Boolean).join(' · '),
    ...(place.category === 'DROP_OFF' || items
      ? [say('slack:places.accepts', { items: items ? escapeMrkdwn(items) : '—' })]
      : []),
    say('slack:places.hours_line', { hours: hours || say('slack:places.no_hours') }),
  ].join('\n');
}

/** Only drop-off points are edited from Slack (the other categories through the admin API). */
const editable = (place: NetworkPlace, staff: StaffActor) =>
  place.category === 'DROP_OFF' && canManagePlace(staff, place);

/**
 * The answer of `/relais places`: one section per point (with "Edit" where the staff member
 * may change it), "Add a drop-off point" for coordinators and admins. `more` points were left
 * out (Slack shows at most 50 blocks).
 */
export function placeListBlocks(
  m: { title: string; places: NetworkPlace[]; more: boolean },
  staff: StaffActor,
  say: Say,
): { text: string; blocks: Block[] } {
  const lines = m.places.map((p) => placeText(p, staff, say));
  const text = [
    `*${m.title}*`,
    ...(lines.length > 0 ? lines : [say('slack:place_list.none')]),
    ...(m.more ? [say('slack:place_list.more')] : []),
  ].join('\n\n');
  const blocks: Block[] = [
    section(`*${m.title}*`),
    ...(m.places.length === 0 ? [section(say('slack:place_list.none'))] : []),
    ...m.places.map((p, i) =>
      section(
        lines[i] ?? '',
        editable(p, staff) ? button(PLACE_ACTIONS.edit, say('slack:places.edit'), p.id) : undefined,
      ),
    ),
    ...(m.more ? [section(say('slack:place_list.more'))] : []),
    ...actions(
      'places',
      canManagePlace(staff) ? [button(PLACE_ACTIONS.add, say('slack:places.add'), 'new', 'primary')] : [],
    ),
  ];
  return { text, blocks };
}
