import type { ViewOutput } from '@slack/bolt';
import { z } from 'zod';
import { DomainError } from '../domain/errors.js';

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

export const UNREADABLE_FORM = "Gatehouse couldn't read that form. Please close it and start again.";

/**
 * The inputs of a submitted or updated view. Slack always sends them in this shape; anything else
 * is forged or from another version of the app, and is refused like any other unreadable input.
 */
export function stateOf(view: Pick<ViewOutput, 'state'>): ViewStateValues {
  const parsed = viewStateValues.safeParse(view.state?.values ?? {});
  if (!parsed.success) throw new DomainError('unreadable', UNREADABLE_FORM);
  return parsed.data;
}

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
