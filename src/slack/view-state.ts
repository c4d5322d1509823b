import { z } from 'zod';

/** One input element's state, as Slack reports it in `view.state.values`. */
const elementState = z
  .object({
    type: z.string(),
    value: z.string().nullish(),
    selected_date: z.string().nullish(),
    selected_option: z.object({ value: z.string() }).nullish(),
    selected_options: z.array(z.object({ value: z.string() })).nullish(),
  })
  .loose();

export const viewStateValues = z.record(z.string(), z.record(z.string(), elementState));
export type ViewStateValues = z.infer<typeof viewStateValues>;

function element(state: ViewStateValues, blockId: string, actionId: string) {
  return state[blockId]?.[actionId];
}

/** Trimmed text of a plain_text_input, or null when empty or absent. */
export function textOf(state: ViewStateValues, blockId: string, actionId: string): string | null {
  const value = element(state, blockId, actionId)?.value?.trim();
  return value ? value : null;
}

/** Values of the selected options of a checkboxes or multi-select element. */
export function selectedValuesOf(state: ViewStateValues, blockId: string, actionId: string): string[] {
  return element(state, blockId, actionId)?.selected_options?.map((option) => option.value) ?? [];
}

/** Value of the selected option of a select element. */
export function selectedValueOf(state: ViewStateValues, blockId: string, actionId: string): string | null {
  return element(state, blockId, actionId)?.selected_option?.value ?? null;
}

export function dateOf(state: ViewStateValues, blockId: string, actionId: string): string | null {
  return element(state, blockId, actionId)?.selected_date ?? null;
}
