import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Config } from '../../core/config.js';
import type { Db } from '../../core/db.js';
import type { I18n } from '../../core/i18n/i18n.js';
import type { OutboxDispatcher } from '../../core/outbound/outboxDispatcher.js';
import type { Secrets } from '../../core/secrets.js';
import type { StaffI18n } from '../../core/staff/staffI18n.js';
import type { Say } from './blocks/requestCard.js';

export type SlackClient = WebClient;

/** What every Slack feature needs from the core. */
export interface SlackDeps {
  db: Db;
  /** people's texts (8 languages), for messages to beneficiaries */
  i18n: I18n;
  /** staff texts (fr/en) */
  text: StaffI18n;
  secrets: Secrets;
  config: Config;
  dispatcher: OutboxDispatcher;
  log: Logger;
}

/** Staff text bound to one language. */
export function sayIn(deps: Pick<SlackDeps, 'text'>, language: string | null | undefined): Say {
  const lng = deps.text.language(language);
  return (key, params) => deps.text.t(lng, key, params);
}
