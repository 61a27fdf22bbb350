import { UnrecoverableError } from 'bullmq';
import type { z } from 'zod';

/**
 * Parses a task's data; data of the wrong shape will never get better, so it fails for good
 * (UnrecoverableError) instead of being retried.
 */
export function readTaskData<T extends z.ZodTypeAny>(schema: T, data: unknown, task: string): z.infer<T> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new UnrecoverableError(`invalid data for task ${task}`);
  return parsed.data;
}
