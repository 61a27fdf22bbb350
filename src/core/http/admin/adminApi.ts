import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { Prisma } from '../../../generated/prisma/client.js';
import type { Db } from '../../db.js';
import { errorHandler } from '../errorHandler.js';
import { adminAuthHook } from './adminAuth.js';
import { ADMIN_ROUTE_MODULES } from './adminRouteModules.js';
import type { AdminRouteDeps } from './routes/adminRouteTypes.js';

export const ADMIN_API_PREFIX = '/api/v1';
export const API_DOCS_PREFIX = '/docs';

export interface AdminApiOptions {
  db: Db;
  config?: AdminRouteDeps['config'];
  dispatcher?: AdminRouteDeps['dispatcher'];
  /** ADMIN_TOKEN: a bootstrap token with the admin scope */
  adminToken?: string | undefined;
  /** PUBLIC_URL, listed as the server in the OpenAPI document */
  publicUrl?: string | undefined;
}

const API_DESCRIPTION =
  'Administration and integration API of Relais ' +
  '(associations, staff, places, device stock, requests, tokens, announcements).\n\n' +
  `Authenticate with \`Authorization: Bearer <token>\`. Scopes: \`read\` for GET routes, \`write\` for changes,
\`donor-contacts\` for donors' name, phone, e-mail and address (the \`donor\` of \`GET /pledges/{id}\`, absent without
it, and the receipt PDF), \`admin\` for tokens and staff (admin implies all the others). Scopes are read in any case.

A token may be bound to one association (\`associationId\`): it then sees and changes only that association's
requests, pledges, devices, places, staff and impact; another association's item answers 404, as one that does not
exist, and routes acting on the whole network (tokens, new associations) answer 403. Create a token with \`npm run
admin:token -- --name <who> --scopes read,write [--association <slug>]\` or \`POST /api/v1/tokens\`. Every change is
recorded in the audit trail with the token id. No route returns personal data of the people Relais serves.`;

/**
 * The admin API under `/api/v1` and its OpenAPI document (`/docs` for people, `/docs/json`
 * for machines). Request bodies, queries and params are zod schemas: the same schema
 * validates the request, types the handler and documents the route.
 */
export async function adminApi(app: FastifyInstance, options: AdminApiOptions): Promise<void> {
  await app.register(async (scope) => {
    scope.setValidatorCompiler(validatorCompiler);
    scope.setSerializerCompiler(serializerCompiler);
    await scope.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: { title: 'Relais admin API', version: '1.0.0', description: API_DESCRIPTION },
        ...(options.publicUrl ? { servers: [{ url: options.publicUrl }] } : {}),
        components: {
          securitySchemes: {
            bearerAuth: { type: 'http', scheme: 'bearer', description: 'an API token (rls_…) or ADMIN_TOKEN' },
          },
        },
        security: [{ bearerAuth: [] }],
        tags: [
          { name: 'associations', description: 'Associations of the network' },
          { name: 'staff', description: 'Volunteers and coordinators (admin scope)' },
          { name: 'places', description: 'Places people are pointed to, and donation drop-off points' },
          {
            name: 'pledges',
            description: "Donors' pledges, their devices, receipts (donor contacts: donor-contacts scope)",
          },
          { name: 'impact', description: 'Impact figures per association and period (JSON, CSV, PNG chart)' },
          { name: 'devices', description: 'Refurbished devices in stock, CSV import of deliveries' },
          { name: 'requests', description: 'Requests, without personal data' },
          { name: 'tokens', description: 'API tokens (admin scope, network-wide token)' },
          { name: 'audit', description: 'The audit trail: who did what and when, for exports (no personal data)' },
        ],
      },
      transform: jsonSchemaTransform,
      transformObject: jsonSchemaTransformObject,
    });
    // swagger-ui's page has inline scripts: staticCSP gives it a CSP with their hashes instead of
    // the app's; its bundle also sets inline styles, and nothing is loaded from other origins
    await scope.register(swaggerUi, {
      routePrefix: API_DOCS_PREFIX,
      staticCSP: true,
      transformStaticCSP: (csp) =>
        csp
          .replace("style-src 'self' https:", "style-src 'self' 'unsafe-inline'")
          .replace("font-src 'self' https: data:", "font-src 'self' data:")
          .replace(' upgrade-insecure-requests;', ''),
      uiConfig: { docExpansion: 'list', deepLinking: true },
    });
    await scope.register(
      async (api) => {
        api.decorateRequest('apiPrincipal', null);
        api.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));
        api.setErrorHandler(adminErrorHandler);
        api.addHook(
          'onRequest',
          adminAuthHook({ db: options.db, adminToken: options.adminToken, realm: 'relais-admin-api' }),
        );
        const deps: AdminRouteDeps = {
          db: options.db,
          ...(options.config ? { config: options.config } : {}),
          ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
        };
        for (const routes of ADMIN_ROUTE_MODULES) await api.register(routes, deps);
      },
      { prefix: ADMIN_API_PREFIX },
    );
  });
}

/** Validation and database constraint errors as 4xx with stable codes; everything else as the app does. */
function adminErrorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (hasZodFastifySchemaValidationErrors(error)) {
    return reply.status(400).send({
      error: 'RELAIS_BAD_REQUEST',
      message: `invalid ${error.validationContext ?? 'request'}`,
      issues: error.validation.map((issue) => ({ path: issue.instancePath, message: issue.message ?? 'invalid' })),
    });
  }
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (error.code === 'P2002')
      return reply
        .status(409)
        .send({ error: 'RELAIS_CONFLICT', message: 'an item with the same unique value already exists' });
    if (error.code === 'P2003')
      return reply.status(422).send({
        error: 'RELAIS_UNKNOWN_REFERENCE',
        message: 'a referenced item (association, pledge…) does not exist',
      });
    if (error.code === 'P2025') return reply.status(404).send({ error: 'RELAIS_NOT_FOUND', message: 'not found' });
  }
  return errorHandler(error, request, reply);
}
