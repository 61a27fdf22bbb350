import type { ChoiceSpec, FlowData, JsonValue } from './engine/flowTypes.js';

/** ✅ Yes / ❌ No. */
export const YES_NO: ChoiceSpec[] = [
  { id: 'yes', labelKey: 'common:choice_yes' },
  { id: 'no', labelKey: 'common:choice_no' },
];

/** 🏠 Main menu. */
export const MENU_CHOICE: ChoiceSpec = { id: 'menu', labelKey: 'common:choice_menu' };

/** ✅ Send / ✏️ Start again / ❌ Cancel under a request's summary (labels from the flow's namespace). */
export function summaryChoices(namespace: string): ChoiceSpec[] {
  return keyedChoices(['send', 'restart', 'cancel'], `${namespace}:choice_`);
}

/** Choices whose id is the value and whose label is `<ns>:<prefix><value>`. */
export function keyedChoices(values: readonly string[], keyPrefix: string): ChoiceSpec[] {
  return values.map((id) => ({ id, labelKey: `${keyPrefix}${id}` }));
}

/** The chosen value if it is one of `values`. */
export function pick<T extends string>(choiceId: string | undefined, values: readonly T[]): T | undefined {
  return values.find((v) => v === choiceId);
}

/** A string field of the flow data, or undefined. */
export function text(data: FlowData, key: string): string | undefined {
  const value: JsonValue | undefined = data[key];
  return typeof value === 'string' ? value : undefined;
}
