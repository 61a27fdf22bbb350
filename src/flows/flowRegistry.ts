import type { FlowDefinition } from './engine/flowTypes.js';
import type { FlowRegistry } from './engine/runTurn.js';
import { appointmentReminderFlow } from './appointmentReminder.js';
import { checkInFlow } from './checkIn.js';
import { companyPledgeFlow } from './companyPledge.js';
import { donorNewsFlow } from './donorNews.js';
import { individualDonationFlow } from './individualDonation.js';
import { languageFlow } from './language.js';
import { createMenuFlow, type MenuEntry } from './menu.js';
import { myRequestsFlow } from './myRequests.js';
import { onboardingFlow } from './onboarding.js';
import { orientationFlow } from './orientation.js';
import { otherPersonFlow } from './otherPerson.js';
import { phoneHelpFlow } from './phoneHelp.js';
import { phoneRequestFlow } from './phoneRequest.js';
import { privacyFlow } from './privacy.js';
import { rechargeRequestFlow } from './rechargeRequest.js';
import { reconnectCodeFlow } from './reconnectCode.js';
import { volunteerChatFlow } from './volunteerChat.js';

/**
 * The main menu, in order. Each entry opens one flow of this folder. People in exile see the
 * first eight and the last two (10, a WhatsApp list); people who pledged see the donor entries
 * and the last two.
 */
export const MENU_ENTRIES: readonly MenuEntry[] = [
  {
    id: 'phone',
    flow: 'phone',
    labelKey: 'menu:phone',
    audience: 'beneficiary',
    commands: [{ type: 'listMyRequests' }],
  },
  { id: 'recharge', flow: 'recharge', labelKey: 'menu:recharge', audience: 'beneficiary' },
  { id: 'help', flow: 'phoneHelp', labelKey: 'menu:help', audience: 'beneficiary' },
  { id: 'orientation', flow: 'orientation', labelKey: 'menu:orientation', audience: 'beneficiary' },
  { id: 'volunteer', flow: 'volunteer', labelKey: 'menu:volunteer', audience: 'beneficiary' },
  {
    id: 'myRequests',
    flow: 'myRequests',
    labelKey: 'menu:my_requests',
    audience: 'beneficiary',
    commands: [{ type: 'listMyRequests' }],
  },
  { id: 'code', flow: 'code', labelKey: 'menu:code', audience: 'beneficiary' },
  { id: 'otherPerson', flow: 'otherPerson', labelKey: 'menu:other_person', audience: 'beneficiary' },
  { id: 'give', flow: 'companyPledge', labelKey: 'menu:give', audience: 'donor' },
  { id: 'donorNews', flow: 'donorNews', labelKey: 'menu:donor_news', audience: 'pledged' },
  { id: 'language', flow: 'language', labelKey: 'menu:language', audience: 'all' },
  { id: 'privacy', flow: 'privacy', labelKey: 'menu:privacy', audience: 'all' },
];

const FLOWS: readonly FlowDefinition[] = [
  onboardingFlow,
  languageFlow,
  privacyFlow,
  phoneRequestFlow,
  rechargeRequestFlow,
  phoneHelpFlow,
  orientationFlow,
  volunteerChatFlow,
  myRequestsFlow,
  checkInFlow,
  appointmentReminderFlow,
  reconnectCodeFlow,
  otherPersonFlow,
  companyPledgeFlow,
  individualDonationFlow,
  donorNewsFlow,
];

/** Every conversation flow, by name. */
export function buildFlowRegistry(): FlowRegistry {
  const all = [createMenuFlow(MENU_ENTRIES), ...FLOWS];
  return new Map(all.map((f) => [f.name, f]));
}
