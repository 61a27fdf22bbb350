import type { StockDevice } from '../../../core/devices/stockQueries.js';
import { input, modal, option, section, staticSelect, type ModalView } from '../blocks/kit.js';
import type { Say } from '../blocks/requestCard.js';
import { deviceLabel } from './allocateModal.js';

export const TRANSFER_REQUEST_VIEW = 'transfer_request';
export const TRANSFER_DEVICES_VIEW = 'transfer_devices';
export const TRANSFER_BLOCKS = { target: 'target', devices: 'devices' } as const;

type Association = { id: string; name: string };

function targetInput(associations: Association[], say: Say) {
  return input(
    TRANSFER_BLOCKS.target,
    say('slack:transfer.target'),
    staticSelect(
      'target',
      say('slack:transfer.target'),
      associations.map((a) => option(a.name, a.id)),
    ),
  );
}

/** A coordinator moves one request to another association. */
export function transferRequestModal(
  m: { requestId: string; reference: string; associations: Association[] },
  say: Say,
): ModalView {
  return modal(
    TRANSFER_REQUEST_VIEW,
    say('slack:transfer.title_request'),
    [section(say('slack:transfer.intro_request', { reference: m.reference })), targetInput(m.associations, say)],
    {
      submit: say('slack:transfer.submit'),
      close: say('slack:modal.cancel'),
      metadata: { requestId: m.requestId },
    },
  );
}

/** A coordinator moves devices of their stock to another association. */
export function transferDevicesModal(
  m: { fromAssociationId: string; devices: StockDevice[]; associations: Association[] },
  say: Say,
): ModalView {
  return modal(
    TRANSFER_DEVICES_VIEW,
    say('slack:transfer.title_devices'),
    [
      input(TRANSFER_BLOCKS.devices, say('slack:transfer.devices'), {
        type: 'multi_static_select',
        action_id: 'devices',
        placeholder: { type: 'plain_text', text: say('slack:allocate.device_placeholder') },
        options: m.devices.slice(0, 100).map((d) => option(deviceLabel(d, say), d.id)),
      }),
      targetInput(m.associations, say),
    ],
    {
      submit: say('slack:transfer.submit'),
      close: say('slack:modal.cancel'),
      metadata: { fromAssociationId: m.fromAssociationId },
    },
  );
}
