import type { CommandEventData } from '../core/commands/commandEvents.js';
import { isOpenAt, type PlaceHours } from '../core/places/placeHours.js';
import type { FlowContext, Reply, ReplyParam } from './engine/flowTypes.js';
import { wallClock, weekdayName } from './localDates.js';

type FoundPlace = CommandEventData<'places'>['places'][number];

/** French weeks start on Monday. */
const WEEK = [1, 2, 3, 4, 5, 6, 0];

/** "Monday: 09:00–12:00, 14:00–17:00" one line per open day, in the person's language. */
export function weeklyHours(hours: PlaceHours, language: string): string {
  return WEEK.flatMap((day) => {
    const slots = hours.filter((s) => s.day === day);
    if (slots.length === 0) return [];
    const times = slots.map((s) => `${wallClock(s.open, language)}–${wallClock(s.close, language)}`).join(', ');
    return [`${weekdayName(day, language)}: ${times}`];
  }).join('\n');
}

function addressLine(place: FoundPlace): string {
  const town = [place.postcode, place.city].filter(Boolean).join(' ');
  return [place.address, town].filter(Boolean).join(', ') || '—';
}

/**
 * One place as a message: name, address, distance when known, "open now" (Paris time, from
 * ctx.now) and the week's hours with weekday names in the person's language.
 */
export function placeReply(place: FoundPlace, ctx: FlowContext): Reply {
  const open = isOpenAt(place.hours, ctx.now);
  const params: Record<string, ReplyParam> = { name: place.name, address: addressLine(place) };
  if (place.distanceKm !== null) params.km = place.distanceKm.toFixed(1);
  const near = place.distanceKm !== null ? '_near' : '';
  if (open === null) return { key: `orientation:place${near}_no_hours`, params };
  params.status = { t: open ? 'orientation:open_now' : 'orientation:closed_now' };
  params.hours = weeklyHours(place.hours, ctx.language);
  return { key: `orientation:place${near}`, params };
}
