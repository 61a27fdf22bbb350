import { z } from 'zod/v4';
import { API_SCOPES, createApiToken, revokeApiToken } from '../../../apiTokens/apiTokenService.js';
import { apiActor } from '../adminAuth.js';
import { commonErrors, idParams, withNotFound } from '../adminSchemas.js';
import type { AdminRouteModule } from './adminRouteTypes.js';

const apiToken = z
  .object({
    id: z.uuid(),
    name: z.string(),
    scopes: z.array(z.string()),
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
    createdAt: z.date(),
    token: z.string().describe('shown only in this answer; Relais keeps only its SHA-256'),
  })
  .meta({ id: 'CreatedApiToken' });

const tokenFields = { id: true, name: true, scopes: true, createdAt: true, lastUsedAt: true, revokedAt: true } as const;
const tags = ['tokens'];
const config = { scope: 'admin' as const };

/** API tokens: created (shown once), listed (never the secret), revoked. Admin scope only. */
export const apiTokenRoutes: AdminRouteModule = async (app, { db }) => {
  app.get('/tokens', { config, schema: { tags, summary: 'List API tokens (admin scope)', response: { 200: z.object({ items: z.array(apiToken) }), ...commonErrors } } }, async () => ({
    items: await db.apiToken.findMany({ select: tokenFields, orderBy: { createdAt: 'asc' } }),
  }));

  app.post(
    '/tokens',
    {
      config,
      schema: {
        tags,
        summary: 'Create an API token (admin scope); the token is in the answer only',
        body: z.object({
          name: z.string().trim().min(1).max(80).describe('who or what uses it, e.g. "refurbisher-ateliers-du-bocage"'),
          scopes: z.array(z.enum(API_SCOPES)).min(1).describe('read: GET routes; write: changes; admin: tokens, staff and everything'),
        }),
        response: { 201: createdToken, ...commonErrors },
      },
    },
    async (request, reply) => {
      const created = await createApiToken(db, { name: request.body.name, scopes: request.body.scopes, actor: apiActor(request) });
      return reply.status(201).header('cache-control', 'no-store').send(created);
    },
  );

  app.delete(
    '/tokens/:id',
    { config, schema: { tags, summary: 'Revoke an API token (admin scope)', params: idParams, response: { 200: apiToken, ...withNotFound } } },
    async (request) => {
      const revoked = await revokeApiToken(db, request.params.id, apiActor(request));
      return { id: revoked.id, name: revoked.name, scopes: revoked.scopes, createdAt: revoked.createdAt, lastUsedAt: revoked.lastUsedAt, revokedAt: revoked.revokedAt };
    },
  );
};
