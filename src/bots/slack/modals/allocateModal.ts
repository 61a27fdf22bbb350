import type { StockDevice } from '../../../core/devices/stockQueries.js';
import {
  actions,
  input,
  modal,
  option,
  section,
  staticSelect,
  textInput,
  type Block,
  type ModalView,
} from '../blocks/kit.js';
import type { Say } from '../blocks/requestCard.js';
import { escapeMrkdwn } from '../slackText.js';

export const ALLOCATE_VIEW = 'allocate_device';
export const ALLOCATE_MODEL_FILTER = 'allocate.model';
export const ALLOCATE_BLOCKS = {
  filter: 'filter',
  device: 'device',
  at: 'appointment_at',
  place: 'appointment_place',
} as const;
const ALL_MODELS = '*';

export interface AllocateModalInput {
  requestId: string;
  reference: string;
  associationId: string;
  associationName: string;
  models: Array<{ model: string; count: number }>;
  devices: StockDevice[];
  model: string | null;
  defaultPlace: string | null;
}

/** "Fairphone 4 · grade A · IMEI …4821" */
export function deviceLabel(device: StockDevice, say: Say): string {
  return say('slack:allocate.device_option', {
    model: device.model,
    grade: device.grade ?? '–',
    tail: device.tail || '????',
  });
}

/**
 * The allocation modal: a model filter (re-renders the device list), the devices of the
 * association's stock (IMEI tail only), and an optional appointment (date/time, place).
 * The device block id carries the filter so Slack drops a selection from the old list.
 */
export function allocateModal(m: AllocateModalInput, say: Say): ModalView {
  const modelOptions = [
    option(say('slack:allocate.all_models', { count: m.models.reduce((n, x) => n + x.count, 0) }), ALL_MODELS),
    ...m.models.map((x) => option(`${x.model} (${x.count})`, x.model)),
  ];
  const selectedModel = modelOptions.find((o) => o.value === (m.model ?? ALL_MODELS));
  const blocks: Block[] = [
    section(say('slack:allocate.intro', { reference: m.reference, association: escapeMrkdwn(m.associationName) })),
    ...actions(ALLOCATE_BLOCKS.filter, [
      staticSelect(ALLOCATE_MODEL_FILTER, say('slack:allocate.filter'), modelOptions, selectedModel),
    ]),
  ];
  if (m.devices.length === 0) {
    blocks.push(section(say('slack:allocate.no_device')));
  } else {
    blocks.push(
      input(
        `${ALLOCATE_BLOCKS.device}:${m.model ?? ALL_MODELS}`,
        say('slack:allocate.device'),
        staticSelect(
          'device',
          say('slack:allocate.device_placeholder'),
          m.devices.map((d) => option(deviceLabel(d, say), d.id)),
        ),
        {
          ...(m.devices.length >= 100 ? { hint: say('slack:allocate.too_many') } : {}),
        },
      ),
    );
  }
  blocks.push(
    input(
      ALLOCATE_BLOCKS.at,
      say('slack:allocate.appointment_at'),
      { type: 'datetimepicker', action_id: 'at' },
      { optional: true, hint: say('slack:allocate.appointment_hint') },
    ),
    input(
      ALLOCATE_BLOCKS.place,
      say('slack:allocate.appointment_place'),
      textInput('place', { maxLength: 200, ...(m.defaultPlace ? { initial: m.defaultPlace } : {}) }),
      { optional: true },
    ),
  );
  return modal(ALLOCATE_VIEW, say('slack:allocate.title'), blocks, {
    ...(m.devices.length > 0 ? { submit: say('slack:allocate.submit') } : {}),
    close: say('slack:modal.cancel'),
    metadata: { requestId: m.requestId, associationId: m.associationId, model: m.model ?? '' },
  });
}

export function modelFromFilter(value: string | null): string | null {
  return !value || value === ALL_MODELS ? null : value;
}
