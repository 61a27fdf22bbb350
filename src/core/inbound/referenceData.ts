import type { Db } from '../db.js';
import type { ReferenceData } from '../conversation/turnTypes.js';

/** Small, slowly changing data flows show (association names), cached per process for `ttlMs`. */
export class ReferenceDataCache {
  private cached: { at: number; data: ReferenceData } | undefined;

  constructor(
    private readonly db: Db,
    private readonly ttlMs = 30_000,
  ) {}

  async get(): Promise<ReferenceData> {
    if (this.cached && Date.now() - this.cached.at < this.ttlMs) return this.cached.data;
    const associations = await this.db.association.findMany({
      select: { id: true, name: true },
      orderBy: { name: 'asc' },
    });
    const data = { associations };
    this.cached = { at: Date.now(), data };
    return data;
  }

  invalidate(): void {
    this.cached = undefined;
  }
}
