import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { startTestRelais, type TestRelais } from '../../../support/testRelais.js';

let t: TestRelais;
beforeAll(async () => {
  t = await startTestRelais('openapi', {}, { workers: false });
});
afterAll(async () => {
  await t?.close();
});

interface OpenApiDocument {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      { tags?: string[]; requestBody?: { content: Record<string, unknown> }; responses: Record<string, unknown> }
    >
  >;
  info: { description: string };
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
  security: unknown[];
}

describe('OpenAPI document', () => {
  it('/docs/json is a valid OpenAPI 3.1 document', async () => {
    const response = await t.relais.app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const validator = new Validator();
    const result = await validator.validate(response.json<Record<string, unknown>>());
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('documents every admin route with its security, and nothing outside /api/v1', async () => {
    const document = (await t.relais.app.inject({ method: 'GET', url: '/docs/json' })).json<OpenApiDocument>();
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        'GET /api/v1/associations',
        'POST /api/v1/associations',
        'PATCH /api/v1/associations/{id}',
        'GET /api/v1/staff',
        'POST /api/v1/staff',
        'PATCH /api/v1/staff/{id}',
        'GET /api/v1/places',
        'POST /api/v1/places',
        'PATCH /api/v1/places/{id}',
        'POST /api/v1/places/{id}/deactivate',
        'GET /api/v1/devices',
        'POST /api/v1/devices/import',
        'GET /api/v1/requests',
        'GET /api/v1/requests.csv',
        'GET /api/v1/tokens',
        'POST /api/v1/tokens',
        'DELETE /api/v1/tokens/{id}',
        'GET /api/v1/pledges',
        'GET /api/v1/pledges/{id}',
        'POST /api/v1/pledges/{id}/status',
        'POST /api/v1/pledges/{id}/devices',
        'GET /api/v1/pledges/{id}/receipt.pdf',
        'POST /api/v1/devices/{id}/status',
        'GET /api/v1/devices/{id}/history',
        'GET /api/v1/impact',
        'GET /api/v1/impact.csv',
        'GET /api/v1/impact.png',
        'GET /api/v1/audit',
        'POST /api/v1/announcements',
        'GET /api/v1/announcements/{id}',
        'POST /api/v1/announcements/{id}/cancel',
      ].sort(),
    );
    expect(document.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining([
        'Association',
        'StaffMember',
        'Place',
        'OpeningSlot',
        'Device',
        'StockImportReport',
        'RequestSummary',
        'ApiToken',
        'Error',
      ]),
    );
    expect(Object.keys(document.paths['/api/v1/devices/import']?.post?.requestBody?.content ?? {})).toEqual([
      'text/csv',
      'application/json',
    ]);
    const { CreatedApiToken, ApiToken, PledgeWithDonor } = document.components.schemas;
    const scopes = { items: { enum: ['read', 'write', 'donor-contacts', 'admin'] } };
    expect(CreatedApiToken).toMatchObject({ properties: { scopes, associationId: {} } });
    expect(ApiToken).toMatchObject({ properties: { associationId: {} } });
    const donor = { description: expect.stringContaining('donor-contacts') };
    expect(PledgeWithDonor).toMatchObject({ properties: { donor } });
    expect(PledgeWithDonor).not.toMatchObject({ required: expect.arrayContaining(['donor']) });
    expect(document.info.description).toMatch(/donor-contacts[\s\S]*bound to one association/);
    expect(Object.keys(document.paths['/api/v1/devices/import']?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(['201', '422']),
    );
  });

  it('serves the documentation page with a CSP that allows only its own scripts', async () => {
    const page = await t.relais.app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.headers['content-security-policy']).not.toMatch(/unsafe-eval/);
  });
});
