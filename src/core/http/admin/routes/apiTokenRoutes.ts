import { z } from 'zod/v4';
import { API_SCOPES, createApiToken, revokeApiToken } from '../../../apiTokens/apiTokenService.js';
import { apiActor } from '../adminAuth.js';
import { anyCase, commonErrors, errorSchema, idParams, withNotFound } from '../adminSchemas.js';
import type { AdminRouteModule } from './adminRouteTypes.js';

const apiToken = z
  .object({
    id: z.uuid(),
    name: z.string(),
    scopes: z.array(z.string()),
    associationId: z.uuid().nullable().describe('the association the token is bound to; null: the whole network'),
    createdAt: z.date(),
    lastUsedAt: z.date().nullable(),
    revokedAt: z.date().nullable(),
  })
  .meta({ id: 'ApiToken' });

const createdToken = z
  .object({
    id: z.uuid(),
    name: z.string(),
    scopes: z.array(z.enum(API_SCOPES)),
    associationId: z.uuid().nullable(),
    createdAt: z.date(),
    token: z.string().describe('shown only in this answer; Relais keeps only its SHA-256'),
  })
  .meta({ id: 'CreatedApiToken' });

const tokenFields = {
  id: true,
  name: true,
  scopes: true,
  associationId: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;
const tags = ['tokens'];
const SCOPES_DESCRIPTION = `any case. read: GET routes; write: changes; donor-contacts: donors' name, phone, e-mail,
address and receipts; admin: all of them, tokens and staff`;
const BINDING_DESCRIPTION = `bind the token to this association: it sees and changes only its requests, pledges,
stock, places and impact`;
// a token bound to an association could otherwise mint a network-wide one
const config = { scope: 'admin' as const, networkOnly: true };

/** API tokens: created (shown once), listed (never the secret), revoked. Network-wide admin tokens only. */
export const apiTokenRoutes: AdminRouteModule = async (app, { db }) => {
  const listResponse = { 200: z.object({ items: z.array(apiToken) }), ...commonErrors };
  const listSchema = { tags, summary: 'List API tokens (network-wide admin token)', response: listResponse };
  app.get('/tokens', { config, schema: listSchema }, async () => ({
    items: await db.apiToken.findMany({ select: tokenFields, orderBy: { createdAt: 'asc' } }),
  }));

  app.post(
    '/tokens',
    {
      config,
      schema: {
        tags,
        summary: 'Create an API token (network-wide admin token); the token is in the answer only',
        body: z.object({
          name: z.string().trim().min(1).max(80).describe('who or what uses it, e.g. "refurbisher-ateliers-du-bocage"'),
          scopes: z
            .array(anyCase(z.enum(API_SCOPES), 'lower'))
            .min(1)
            .describe(SCOPES_DESCRIPTION),
          associationId: z.uuid().nullable().optional().describe(BINDING_DESCRIPTION),
        }),
        response: { 201: createdToken, ...commonErrors, 422: errorSchema },
      },
    },
    async (request, reply) => {
      const { name, scopes, associationId } = request.body;
      const created = await createApiToken(db, { name, scopes, associationId, actor: apiActor(request) });
      return reply.status(201).header('cache-control', 'no-store').send(created);
    },
  );

  app.delete(
    '/tokens/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Revoke an API token (network-wide admin token)',
        params: idParams,
        response: { 200: apiToken, ...withNotFound },
      },
    },
    async (request) => {
      const revoked = await revokeApiToken(db, request.params.id, apiActor(request));
      const { tokenHash: _hash, ...shown } = revoked;
      return shown;
    },
  );
};
