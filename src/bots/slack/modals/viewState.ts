import { z } from 'zod';

const elementState = z.object({
  type: z.string(),
  value: z.string().nullable().optional(),
  selected_option: z.object({ value: z.string() }).nullable().optional(),
  selected_options: z.array(z.object({ value: z.string() })).optional(),
  selected_date_time: z.number().nullable().optional(),
  // users_select, conversations_select / channels_select, file_input
  selected_user: z.string().nullable().optional(),
  selected_conversation: z.string().nullable().optional(),
  selected_channel: z.string().nullable().optional(),
  files: z.array(z.object({ id: z.string() })).optional(),
  selected_date: z.string().nullable().optional(),
  selected_time: z.string().nullable().optional(),
});

export const viewStateSchema = z.record(z.record(elementState));

/**
 * Reads what a volunteer entered in a modal (`view.state.values[block_id][action_id]`).
 * Blocks are found by id prefix too, because a modal that was re-rendered (filtered
 * device list) renames its block to drop the old selection.
 */
export class ViewState {
  constructor(private readonly values: z.infer<typeof viewStateSchema>) {}

  private element(blockId: string, actionId: string) {
    const exact = this.values[blockId]?.[actionId];
    if (exact) return exact;
    const key = Object.keys(this.values).find((k) => k.startsWith(`${blockId}:`));
    return key ? this.values[key]?.[actionId] : undefined;
  }

  /** The id of the block a value came from (to attach an error to it). */
  blockOf(blockId: string): string {
    if (this.values[blockId]) return blockId;
    return Object.keys(this.values).find((k) => k.startsWith(`${blockId}:`)) ?? blockId;
  }

  text(blockId: string, actionId: string): string | null {
    const value = this.element(blockId, actionId)?.value?.trim();
    return value ? value : null;
  }

  selected(blockId: string, actionId: string): string | null {
    return this.element(blockId, actionId)?.selected_option?.value ?? null;
  }

  selectedMany(blockId: string, actionId: string): string[] {
    return this.element(blockId, actionId)?.selected_options?.map((o) => o.value) ?? [];
  }

  /** The Slack user id chosen in a users_select. */
  user(blockId: string, actionId: string): string | null {
    return this.element(blockId, actionId)?.selected_user ?? null;
  }

  /** a conversations_select's (or channels_select's) channel id */
  conversation(blockId: string, actionId: string): string | null {
    const element = this.element(blockId, actionId);
    return element?.selected_conversation ?? element?.selected_channel ?? null;
  }

  /** the ids of the files a file_input received */
  fileIds(blockId: string, actionId: string): string[] {
    return this.element(blockId, actionId)?.files?.map((f) => f.id) ?? [];
  }

  /** a datepicker's day, YYYY-MM-DD */
  date(blockId: string, actionId: string): string | null {
    return this.element(blockId, actionId)?.selected_date ?? null;
  }

  /** a timepicker's time, HH:mm */
  time(blockId: string, actionId: string): string | null {
    return this.element(blockId, actionId)?.selected_time ?? null;
  }

  dateTime(blockId: string, actionId: string): Date | null {
    const seconds = this.element(blockId, actionId)?.selected_date_time;
    return typeof seconds === 'number' ? new Date(seconds * 1000) : null;
  }
}
