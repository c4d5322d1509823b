// One render context per drawn surface: names for mrkdwn, people for user selects, and the hooks
// through which elements act.
import type { DemoAction, DemoStateValues } from '../protocol.js';
import type { OptionGroup, RenderContext, SlackOption } from './elements.js';
import type { TextNames } from './text.js';

let surfaces = 0;

export function createContext(options: {
  names: TextNames;
  people?: { id: string; label: string }[];
  conversations?: { id: string; name: string }[];
  act?: (action: DemoAction) => void;
  suggest?: (request: {
    action_id: string;
    block_id: string;
    value: string;
  }) => Promise<{ options: SlackOption[]; option_groups?: OptionGroup[] }>;
  reportUnsupported?: (type: string) => void;
  saved?: DemoStateValues | null;
}): RenderContext {
  surfaces += 1;
  const idPrefix = `s${surfaces}`;
  let ids = 0;
  return {
    names: options.names,
    people: options.people ?? [],
    conversations: options.conversations ?? [],
    act: options.act ?? (() => undefined),
    suggest: options.suggest ?? (async () => ({ options: [] })),
    reportUnsupported: options.reportUnsupported ?? (() => undefined),
    saved: options.saved ?? null,
    fields: [],
    idPrefix,
    nextId: () => `${idPrefix}-${(ids += 1)}`,
  };
}

/** Slack's `view.state.values` from the fields of one drawn view. */
export function stateValues(ctx: RenderContext): DemoStateValues {
  const values: DemoStateValues = {};
  for (const field of ctx.fields) {
    values[field.blockId] ??= {};
    values[field.blockId]![field.actionId] = field.read();
  }
  return values;
}
