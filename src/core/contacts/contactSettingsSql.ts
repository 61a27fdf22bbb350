import { prepared, type SqlRunner } from '../db/sqlRunner.js';

// What a person sets about themself, one UPDATE each, prepared once per connection. Deferred:
// nothing in the turn reads them back, so the fast path sends them with the turn's last trip.

export async function setContactLanguage(sql: SqlRunner, contactId: string, language: string): Promise<void> {
  await sql.defer(
    prepared('relais_contact_language')`UPDATE "Contact" SET language = ${language} WHERE id = ${contactId}::uuid`,
  );
}

export async function recordContactConsent(sql: SqlRunner, contactId: string, at: Date): Promise<void> {
  await sql.defer(
    prepared('relais_contact_consent')`UPDATE "Contact" SET "consentAt" = ${at} WHERE id = ${contactId}::uuid`,
  );
}

export async function pauseContact(sql: SqlRunner, contactId: string): Promise<void> {
  await sql.defer(
    prepared('relais_contact_pause')`UPDATE "Contact" SET status = 'PAUSED'::"ContactStatus" WHERE id = ${contactId}::uuid`,
  );
}

export async function resumeContact(sql: SqlRunner, contactId: string): Promise<void> {
  await sql.defer(
    prepared('relais_contact_resume')`UPDATE "Contact" SET status = 'ACTIVE'::"ContactStatus" WHERE id = ${contactId}::uuid`,
  );
}
