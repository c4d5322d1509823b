/**
 * Block Kit payload checks, written as zod schemas from the limits collected in
 * shared/notes/slack-platform.md §2. Slack rejects payloads that break them (or, for a few, cuts
 * them silently), and a test that only talks to a local emulator would never notice. The emulator
 * runs every message and view through these checks so such a payload fails the test instead.
 *
 * Known block and element types are checked; unknown types and unknown fields pass through,
 * because Slack adds new ones faster than this file is updated and a false alarm is worse than
 * a missed check here.
 */
import { z } from 'zod';

export const BLOCK_KIT_LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionTextMax: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  markdownBlockText: 12_000,
  actionsElements: 25,
  contextElements: 10,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  accessibilityLabel: 75,
  selectOptions: 100,
  selectOptionGroups: 100,
  optionGroupLabel: 75,
  optionText: 75,
  optionDescription: 75,
  /** Slack's docs say 150, @slack/types says 75; the notes say to validate at the stricter 75. */
  optionValue: 75,
  overflowOptions: 5,
  checkboxOptions: 10,
  radioOptions: 10,
  placeholder: 150,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  plainTextInputLength: 3000,
  blockId: 255,
  actionId: 255,
  inputLabel: 2000,
  inputHint: 2000,
  imageAltText: 2000,
  imageTitle: 2000,
  modalTitle: 24,
  modalSubmit: 24,
  modalClose: 24,
  privateMetadata: 3000,
  callbackId: 255,
  externalId: 255,
  /** "250 kB": read as 250,000 bytes, the stricter reading, so a borderline view fails here first. */
  viewJsonBytes: 250_000,
  messageText: 40_000,
  /** The undocumented `msg_blocks_too_long` threshold (bolt-js#2509): about 13.2k characters of text summed over all blocks. */
  messageBlocksTotalText: 13_200,
} as const;

// ---------------------------------------------------------------------------------------------
// Building blocks for schemas
// ---------------------------------------------------------------------------------------------

/**
 * Zod skips refinements once a sibling field failed; these checks are independent of the other
 * fields, so they must run anyway or a payload with two problems would only report one.
 */
const evenWhenOtherChecksFail = { when: () => true } as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function lengthOf(value: unknown): string {
  return typeof value === 'string' || Array.isArray(value) ? String(value.length) : '?';
}

function requiredOrWrongType(what: string, expected: string) {
  return (issue: { input: unknown }) => (issue.input === undefined ? `${what} is required` : `${what} must be ${expected}`);
}

function limitedString(what: string, limits: { max: number; min?: number }) {
  let schema = z.string({ error: requiredOrWrongType(what, 'a string') });
  const min = limits.min ?? 0;
  if (min > 0) {
    schema = schema.min(min, {
      error: () => (min === 1 ? `${what} must not be empty` : `${what} must be at least ${min} characters`),
    });
  }
  return schema.max(limits.max, {
    error: (issue) => `${what} must be at most ${limits.max} characters (got ${lengthOf(issue.input)})`,
  });
}

function listOf<T extends z.ZodType>(item: T, what: string, limits: { max: number; min?: number }) {
  const min = limits.min ?? 0;
  return z.array(item, { error: requiredOrWrongType(what, 'an array') }).superRefine((items, ctx) => {
    if (!Array.isArray(items)) return;
    if (items.length > limits.max) {
      ctx.addIssue({ code: 'custom', message: `${what} must have at most ${limits.max} items (got ${items.length})` });
    }
    if (items.length < min) {
      ctx.addIssue({ code: 'custom', message: `${what} needs at least ${min} item${min === 1 ? '' : 's'}` });
    }
  }, evenWhenOtherChecksFail);
}

function integerBetween(what: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return z
    .number({ error: requiredOrWrongType(what, 'a number') })
    .int({ error: `${what} must be a whole number` })
    .min(min, { error: `${what} must be at least ${min}` })
    .max(max, { error: `${what} must be at most ${max}` });
}

type TextKind = 'plain_text' | 'any';

/** A composition text object; Slack rejects empty text everywhere a text object is allowed. */
function textObject(what: string, max: number, kind: TextKind = 'any') {
  const type =
    kind === 'plain_text'
      ? z.literal('plain_text', { error: `${what} must be a plain_text object` })
      : z.enum(['plain_text', 'mrkdwn'], { error: `${what} type must be plain_text or mrkdwn` });
  return z.looseObject(
    {
      type,
      text: limitedString(what, { min: 1, max }),
      emoji: z.boolean({ error: `${what} emoji must be a boolean` }).optional(),
      verbatim: z.boolean({ error: `${what} verbatim must be a boolean` }).optional(),
    },
    { error: requiredOrWrongType(what, 'a text object') },
  );
}

const L = BLOCK_KIT_LIMITS;

const actionId = limitedString('action_id', { min: 1, max: L.actionId });
const blockId = limitedString('block_id', { min: 1, max: L.blockId });
const placeholder = textObject('placeholder', L.placeholder, 'plain_text');
const urlString = (what: string) => limitedString(what, { min: 1, max: L.url });

/**
 * Dispatches on `type`: a known type is checked with its schema, a type that is known but not
 * allowed in this position is reported, and an unknown type passes through untouched.
 */
function typedUnion(what: string, allowed: Readonly<Record<string, z.ZodType>>, knownElsewhere: ReadonlySet<string>) {
  return z
    .looseObject(
      { type: z.string({ error: requiredOrWrongType(`${what} type`, 'a string') }) },
      {
        error: requiredOrWrongType(what, 'an object'),
      },
    )
    .superRefine((value, ctx) => {
      const schema = allowed[value.type];
      if (schema === undefined) {
        if (knownElsewhere.has(value.type)) {
          ctx.addIssue({ code: 'custom', message: `${value.type} is not allowed in ${what}`, path: ['type'] });
        }
        return;
      }
      const result = schema.safeParse(value);
      if (result.success) return;
      for (const issue of result.error.issues) {
        ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
      }
    });
}

// ---------------------------------------------------------------------------------------------
// Composition objects
// ---------------------------------------------------------------------------------------------

export const confirmDialogSchema = z.looseObject(
  {
    title: textObject('confirm title', L.confirmTitle, 'plain_text'),
    text: textObject('confirm text', L.confirmText),
    confirm: textObject('confirm button', L.confirmButton, 'plain_text'),
    deny: textObject('deny button', L.confirmButton, 'plain_text'),
    style: z.enum(['primary', 'danger'], { error: 'confirm style must be primary or danger' }).optional(),
  },
  { error: requiredOrWrongType('confirm', 'a confirmation dialog object') },
);

/** Where an option sits decides what its text may be and whether it may carry a url. */
type OptionPlace = 'select' | 'choice' | 'overflow';

function optionSchema(place: OptionPlace) {
  return z.looseObject(
    {
      text: textObject('option text', L.optionText, place === 'choice' ? 'any' : 'plain_text'),
      value: limitedString('option value', { min: 1, max: L.optionValue }),
      description: textObject('option description', L.optionDescription, 'plain_text').optional(),
      url:
        place === 'overflow'
          ? urlString('option url').optional()
          : z.undefined({ error: 'option url is only allowed in overflow menus' }).optional(),
    },
    { error: requiredOrWrongType('option', 'an option object') },
  );
}

const selectOption = optionSchema('select');
const choiceOption = optionSchema('choice');
const overflowOption = optionSchema('overflow');

export const optionGroupSchema = z.looseObject({
  label: textObject('option group label', L.optionGroupLabel, 'plain_text'),
  options: listOf(selectOption, 'option group options', { min: 1, max: L.selectOptions }),
});

// ---------------------------------------------------------------------------------------------
// Block elements
// ---------------------------------------------------------------------------------------------

const interactiveFields = {
  action_id: actionId.optional(),
  confirm: confirmDialogSchema.optional(),
  focus_on_load: z.boolean({ error: 'focus_on_load must be a boolean' }).optional(),
};

export const buttonElementSchema = z.looseObject({
  type: z.literal('button'),
  text: textObject('button text', L.buttonText, 'plain_text'),
  action_id: actionId.optional(),
  value: limitedString('button value', { max: L.buttonValue }).optional(),
  url: urlString('button url').optional(),
  style: z.enum(['primary', 'danger'], { error: 'button style must be primary or danger' }).optional(),
  confirm: confirmDialogSchema.optional(),
  accessibility_label: limitedString('button accessibility_label', { min: 1, max: L.accessibilityLabel }).optional(),
});

/** Fields that differ between a select and its multi-select twin. */
function selectionFields(multi: boolean) {
  return multi
    ? {
        initial_options: listOf(selectOption, 'initial_options', { max: L.selectOptions }).optional(),
        max_selected_items: integerBetween('max_selected_items', 1).optional(),
      }
    : { initial_option: selectOption.optional() };
}

function staticSelectSchema(type: 'static_select' | 'multi_static_select') {
  return z
    .looseObject({
      type: z.literal(type),
      ...interactiveFields,
      placeholder: placeholder.optional(),
      options: listOf(selectOption, `${type} options`, { min: 1, max: L.selectOptions }).optional(),
      option_groups: listOf(optionGroupSchema, `${type} option_groups`, { min: 1, max: L.selectOptionGroups }).optional(),
      ...selectionFields(type === 'multi_static_select'),
    })
    .superRefine((select, ctx) => {
      if (!isRecord(select)) return;
      const hasOptions = select.options !== undefined;
      const hasGroups = select.option_groups !== undefined;
      if (hasOptions === hasGroups) {
        ctx.addIssue({ code: 'custom', message: `${type} needs exactly one of options or option_groups` });
      }
    }, evenWhenOtherChecksFail);
}

function externalSelectSchema(type: 'external_select' | 'multi_external_select') {
  return z.looseObject({
    type: z.literal(type),
    ...interactiveFields,
    placeholder: placeholder.optional(),
    min_query_length: integerBetween('min_query_length', 0).optional(),
    ...selectionFields(type === 'multi_external_select'),
  });
}

/** users/conversations/channels selects: the options come from Slack, so only the frame is checked. */
function slackDataSelectSchema(type: string, multi: boolean) {
  return z.looseObject({
    type: z.literal(type),
    ...interactiveFields,
    placeholder: placeholder.optional(),
    ...(multi ? { max_selected_items: integerBetween('max_selected_items', 1).optional() } : {}),
  });
}

export const checkboxesElementSchema = z.looseObject({
  type: z.literal('checkboxes'),
  ...interactiveFields,
  options: listOf(choiceOption, 'checkboxes options', { min: 1, max: L.checkboxOptions }),
  initial_options: listOf(choiceOption, 'checkboxes initial_options', { max: L.checkboxOptions }).optional(),
});

export const radioButtonsElementSchema = z.looseObject({
  type: z.literal('radio_buttons'),
  ...interactiveFields,
  options: listOf(choiceOption, 'radio_buttons options', { min: 1, max: L.radioOptions }),
  initial_option: choiceOption.optional(),
});

export const plainTextInputElementSchema = z
  .looseObject({
    type: z.literal('plain_text_input'),
    action_id: actionId.optional(),
    placeholder: placeholder.optional(),
    initial_value: z.string({ error: 'initial_value must be a string' }).optional(),
    multiline: z.boolean({ error: 'multiline must be a boolean' }).optional(),
    min_length: integerBetween('min_length', 0, L.plainTextInputLength).optional(),
    max_length: integerBetween('max_length', 1, L.plainTextInputLength).optional(),
    focus_on_load: z.boolean({ error: 'focus_on_load must be a boolean' }).optional(),
  })
  .superRefine((input, ctx) => {
    if (!isRecord(input)) return;
    const { min_length: min, max_length: max, initial_value: initial } = input;
    if (typeof min === 'number' && typeof max === 'number' && min > max) {
      ctx.addIssue({ code: 'custom', message: `min_length (${min}) must not exceed max_length (${max})` });
    }
    if (typeof initial === 'string' && typeof max === 'number' && initial.length > max) {
      ctx.addIssue({ code: 'custom', message: `initial_value is longer than max_length (${max})`, path: ['initial_value'] });
    }
  }, evenWhenOtherChecksFail);

export const datepickerElementSchema = z.looseObject({
  type: z.literal('datepicker'),
  ...interactiveFields,
  placeholder: placeholder.optional(),
  initial_date: z
    .string({ error: 'initial_date must be a string' })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'initial_date must look like YYYY-MM-DD' })
    .optional(),
});

export const overflowElementSchema = z.looseObject({
  type: z.literal('overflow'),
  action_id: actionId.optional(),
  confirm: confirmDialogSchema.optional(),
  options: listOf(overflowOption, 'overflow options', { min: 1, max: L.overflowOptions }),
});

/** Images need a source: a public url or a Slack-hosted file. */
function withImageSource<T extends z.ZodType>(schema: T) {
  return schema.superRefine((image, ctx) => {
    if (!isRecord(image)) return;
    if (image.image_url === undefined && image.slack_file === undefined) {
      ctx.addIssue({ code: 'custom', message: 'image needs image_url or slack_file' });
    }
  }, evenWhenOtherChecksFail);
}

export const imageElementSchema = withImageSource(
  z.looseObject({
    type: z.literal('image'),
    image_url: urlString('image_url').optional(),
    alt_text: limitedString('image alt_text', { min: 1, max: L.imageAltText }),
  }),
);

const selectElementSchemas = {
  static_select: staticSelectSchema('static_select'),
  multi_static_select: staticSelectSchema('multi_static_select'),
  external_select: externalSelectSchema('external_select'),
  multi_external_select: externalSelectSchema('multi_external_select'),
  users_select: slackDataSelectSchema('users_select', false),
  multi_users_select: slackDataSelectSchema('multi_users_select', true),
  conversations_select: slackDataSelectSchema('conversations_select', false),
  multi_conversations_select: slackDataSelectSchema('multi_conversations_select', true),
  channels_select: slackDataSelectSchema('channels_select', false),
  multi_channels_select: slackDataSelectSchema('multi_channels_select', true),
} satisfies Record<string, z.ZodType>;

const choiceElementSchemas = {
  checkboxes: checkboxesElementSchema,
  radio_buttons: radioButtonsElementSchema,
  datepicker: datepickerElementSchema,
} satisfies Record<string, z.ZodType>;

export const elementSchemas = {
  button: buttonElementSchema,
  ...selectElementSchemas,
  ...choiceElementSchemas,
  plain_text_input: plainTextInputElementSchema,
  overflow: overflowElementSchema,
  image: imageElementSchema,
} satisfies Record<string, z.ZodType>;

const knownElementTypes: ReadonlySet<string> = new Set([...Object.keys(elementSchemas), 'plain_text', 'mrkdwn']);

const sectionAccessory = typedUnion(
  'a section accessory',
  {
    button: buttonElementSchema,
    ...selectElementSchemas,
    ...choiceElementSchemas,
    overflow: overflowElementSchema,
    image: imageElementSchema,
  },
  knownElementTypes,
);
const actionsElement = typedUnion(
  'an actions block',
  { button: buttonElementSchema, ...selectElementSchemas, ...choiceElementSchemas, overflow: overflowElementSchema },
  knownElementTypes,
);
const inputElement = typedUnion(
  'an input block',
  { ...selectElementSchemas, ...choiceElementSchemas, plain_text_input: plainTextInputElementSchema },
  knownElementTypes,
);
const contextElement = typedUnion(
  'a context block',
  {
    image: imageElementSchema,
    plain_text: textObject('context text', Number.MAX_SAFE_INTEGER),
    mrkdwn: textObject('context text', Number.MAX_SAFE_INTEGER),
  },
  knownElementTypes,
);

/** Slack requires action_ids to be unique within their block (it uses the pair to route actions). */
function uniqueActionIds(elements: unknown, ctx: z.RefinementCtx, path: string) {
  if (!Array.isArray(elements)) return;
  const seen = new Set<string>();
  elements.forEach((element: unknown, index) => {
    if (!isRecord(element) || typeof element.action_id !== 'string') return;
    if (seen.has(element.action_id)) {
      ctx.addIssue({
        code: 'custom',
        message: `duplicate action_id "${element.action_id}" in this block`,
        path: [path, index, 'action_id'],
      });
    }
    seen.add(element.action_id);
  });
}

// ---------------------------------------------------------------------------------------------
// Blocks
// ---------------------------------------------------------------------------------------------

const blockFields = { block_id: blockId.optional() };

export const sectionBlockSchema = z
  .looseObject({
    type: z.literal('section'),
    ...blockFields,
    text: textObject('section text', L.sectionTextMax).optional(),
    fields: listOf(textObject('section field', L.sectionFieldText), 'section fields', { min: 1, max: L.sectionFields }).optional(),
    accessory: sectionAccessory.optional(),
  })
  .superRefine((section, ctx) => {
    if (!isRecord(section)) return;
    if (section.text === undefined && section.fields === undefined) {
      ctx.addIssue({ code: 'custom', message: 'section needs text or fields' });
    }
  }, evenWhenOtherChecksFail);

export const headerBlockSchema = z.looseObject({
  type: z.literal('header'),
  ...blockFields,
  text: textObject('header text', L.headerText, 'plain_text'),
});

export const dividerBlockSchema = z.looseObject({ type: z.literal('divider'), ...blockFields });

export const contextBlockSchema = z.looseObject({
  type: z.literal('context'),
  ...blockFields,
  elements: listOf(contextElement, 'context elements', { min: 1, max: L.contextElements }),
});

export const actionsBlockSchema = z
  .looseObject({
    type: z.literal('actions'),
    ...blockFields,
    elements: listOf(actionsElement, 'actions elements', { min: 1, max: L.actionsElements }),
  })
  .superRefine((actions, ctx) => {
    if (isRecord(actions)) uniqueActionIds(actions.elements, ctx, 'elements');
  }, evenWhenOtherChecksFail);

export const inputBlockSchema = z.looseObject({
  type: z.literal('input'),
  ...blockFields,
  label: textObject('input label', L.inputLabel, 'plain_text'),
  element: inputElement,
  hint: textObject('input hint', L.inputHint, 'plain_text').optional(),
  optional: z.boolean({ error: 'optional must be a boolean' }).optional(),
  dispatch_action: z.boolean({ error: 'dispatch_action must be a boolean' }).optional(),
});

export const imageBlockSchema = withImageSource(
  z.looseObject({
    type: z.literal('image'),
    ...blockFields,
    image_url: urlString('image_url').optional(),
    alt_text: limitedString('image alt_text', { min: 1, max: L.imageAltText }),
    title: textObject('image title', L.imageTitle, 'plain_text').optional(),
  }),
);

export const markdownBlockSchema = z.looseObject({
  type: z.literal('markdown'),
  ...blockFields,
  text: limitedString('markdown text', { min: 1, max: L.markdownBlockText }),
});

/** rich_text has a deep grammar of its own; only its block_id is checked. */
export const richTextBlockSchema = z.looseObject({ type: z.literal('rich_text'), ...blockFields });

export const blockSchemas = {
  section: sectionBlockSchema,
  header: headerBlockSchema,
  divider: dividerBlockSchema,
  context: contextBlockSchema,
  actions: actionsBlockSchema,
  input: inputBlockSchema,
  image: imageBlockSchema,
  markdown: markdownBlockSchema,
  rich_text: richTextBlockSchema,
} satisfies Record<string, z.ZodType>;

export const blockSchema = typedUnion('a block', blockSchemas, new Set());

function blockList(surface: string, max: number) {
  return listOf(blockSchema, `${surface} blocks`, { max }).superRefine((blocks, ctx) => {
    if (!Array.isArray(blocks)) return;
    const seen = new Set<string>();
    blocks.forEach((block: unknown, index) => {
      if (!isRecord(block) || typeof block.block_id !== 'string') return;
      if (seen.has(block.block_id)) {
        ctx.addIssue({ code: 'custom', message: `duplicate block_id "${block.block_id}"`, path: [index, 'block_id'] });
      }
      seen.add(block.block_id);
    });
  }, evenWhenOtherChecksFail);
}

export const messageBlocksSchema = blockList('message', L.messageBlocks);
export const viewBlocksSchema = blockList('view', L.viewBlocks);

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

const viewFields = {
  blocks: viewBlocksSchema,
  private_metadata: limitedString('private_metadata', { max: L.privateMetadata }).optional(),
  callback_id: limitedString('callback_id', { max: L.callbackId }).optional(),
  external_id: limitedString('external_id', { max: L.externalId }).optional(),
};

export const modalViewSchema = z
  .looseObject({
    type: z.literal('modal', { error: 'view type must be modal' }),
    ...viewFields,
    title: textObject('modal title', L.modalTitle, 'plain_text'),
    submit: textObject('modal submit', L.modalSubmit, 'plain_text').optional(),
    close: textObject('modal close', L.modalClose, 'plain_text').optional(),
    clear_on_close: z.boolean({ error: 'clear_on_close must be a boolean' }).optional(),
    notify_on_close: z.boolean({ error: 'notify_on_close must be a boolean' }).optional(),
    submit_disabled: z.boolean({ error: 'submit_disabled must be a boolean' }).optional(),
  })
  .superRefine((modal, ctx) => {
    if (!isRecord(modal) || !Array.isArray(modal.blocks) || modal.submit !== undefined) return;
    const hasInputs = modal.blocks.some((block: unknown) => isRecord(block) && block.type === 'input');
    if (hasInputs) ctx.addIssue({ code: 'custom', message: 'a modal with input blocks needs a submit button', path: ['submit'] });
  }, evenWhenOtherChecksFail);

export const homeViewSchema = z.looseObject({
  type: z.literal('home', { error: 'view type must be home' }),
  ...viewFields,
});

// ---------------------------------------------------------------------------------------------
// Messages and other payloads
// ---------------------------------------------------------------------------------------------

export const messageTextSchema = z
  .string({ error: 'text must be a string' })
  .max(L.messageText, { error: (issue) => `text must be at most ${L.messageText} characters (got ${lengthOf(issue.input)})` });

/** A block_suggestion answer: what an external select gets back from the app. */
export const optionsResponseSchema = z
  .looseObject({
    options: listOf(selectOption, 'options', { max: L.selectOptions }).optional(),
    option_groups: listOf(optionGroupSchema, 'option_groups', { max: L.selectOptionGroups }).optional(),
  })
  .superRefine((response, ctx) => {
    if (!isRecord(response)) return;
    if (response.options === undefined && response.option_groups === undefined) {
      ctx.addIssue({ code: 'custom', message: 'an options response needs options or option_groups' });
    }
  }, evenWhenOtherChecksFail);

/**
 * Counts what Slack's hidden total counts as text: every string under a `text` key anywhere in the
 * blocks (text objects, fields, option labels, rich_text runs).
 */
export function countBlockTextCharacters(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item: unknown) => sum + countBlockTextCharacters(item), 0);
  if (!isRecord(value)) return 0;
  let total = 0;
  for (const [key, child] of Object.entries(value)) {
    total += key === 'text' && typeof child === 'string' ? child.length : countBlockTextCharacters(child);
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// Reports
// ---------------------------------------------------------------------------------------------

export interface BlockKitProblem {
  /** JSON pointer into the payload, e.g. `/blocks/3/text/text`. */
  pointer: string;
  message: string;
}

/** The error codes Slack answers with for the problems found here. */
export type BlockKitErrorCode = 'invalid_blocks' | 'msg_too_long' | 'msg_blocks_too_long' | 'invalid_arguments' | 'view_too_large';

export interface BlockKitReport {
  /** The error Slack would answer with; undefined when the payload is fine. */
  error: BlockKitErrorCode | undefined;
  problems: BlockKitProblem[];
}

function pointerFrom(prefix: string, path: readonly PropertyKey[]): string {
  return prefix + path.map((part) => `/${String(part)}`).join('');
}

function problemsFrom(schema: z.ZodType, value: unknown, pointerPrefix: string): BlockKitProblem[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({ pointer: pointerFrom(pointerPrefix, issue.path) || '/', message: issue.message }));
}

/** `/blocks/0/text/text: section text text must be ...` — what a person reading a test failure needs. */
export function describeProblem(problem: BlockKitProblem): string {
  return `${problem.pointer}: ${problem.message}`;
}

/** The way Slack itself phrases problems in `response_metadata.messages`. */
export function slackStyleMessage(problem: BlockKitProblem): string {
  return `[ERROR] ${problem.message} [json-pointer:${problem.pointer}]`;
}

export interface MessagePayload {
  text?: unknown;
  blocks?: unknown;
}

/** Checks what chat.postMessage / chat.update / chat.postEphemeral / response_url would get. */
export function inspectMessage(message: MessagePayload): BlockKitReport {
  const blockProblems = message.blocks === undefined ? [] : problemsFrom(messageBlocksSchema, message.blocks, '/blocks');
  if (blockProblems.length > 0) return { error: 'invalid_blocks', problems: blockProblems };

  const textProblems = message.text === undefined ? [] : problemsFrom(messageTextSchema, message.text, '/text');
  if (textProblems.length > 0) return { error: 'msg_too_long', problems: textProblems };

  const totalText = countBlockTextCharacters(message.blocks);
  if (totalText > L.messageBlocksTotalText) {
    return {
      error: 'msg_blocks_too_long',
      problems: [
        {
          pointer: '/blocks',
          message: `blocks hold ${totalText} characters of text; Slack rejects more than about ${L.messageBlocksTotalText}`,
        },
      ],
    };
  }
  return { error: undefined, problems: [] };
}

/**
 * Checks a view for views.open/push/update/publish. `expectedType` is the type the method
 * demands (modal for open/push, home for publish); without it the view's own type decides.
 */
export function inspectView(view: unknown, expectedType?: 'modal' | 'home'): BlockKitReport {
  const size = Buffer.byteLength(JSON.stringify(view) ?? '', 'utf8');
  if (size > L.viewJsonBytes) {
    return {
      error: 'view_too_large',
      problems: [{ pointer: '/view', message: `view JSON is ${size} bytes; the limit is ${L.viewJsonBytes}` }],
    };
  }
  const type = expectedType ?? (isRecord(view) ? view.type : undefined);
  const schema = type === 'modal' ? modalViewSchema : type === 'home' ? homeViewSchema : undefined;
  if (schema === undefined) {
    return {
      error: 'invalid_arguments',
      problems: [{ pointer: '/view/type', message: `view type must be modal or home (got ${JSON.stringify(type)})` }],
    };
  }
  const problems = problemsFrom(schema, view, '/view');
  return { error: problems.length > 0 ? 'invalid_arguments' : undefined, problems };
}

/** Human-readable problems with a message's blocks (count, per-block limits, hidden total); empty = OK. */
export function checkMessageBlocks(blocks: unknown): string[] {
  return inspectMessage({ blocks }).problems.map(describeProblem);
}

/** Human-readable problems with a whole message (text and blocks); empty = OK. */
export function checkMessage(message: MessagePayload): string[] {
  return inspectMessage(message).problems.map(describeProblem);
}

/** Human-readable problems with a modal or Home tab view; empty = OK. */
export function checkView(view: unknown, expectedType?: 'modal' | 'home'): string[] {
  return inspectView(view, expectedType).problems.map(describeProblem);
}

/** Human-readable problems with an app's answer to a block_suggestion request; empty = OK. */
export function checkOptionsResponse(response: unknown): string[] {
  return problemsFrom(optionsResponseSchema, response, '').map(describeProblem);
}

// ---------------------------------------------------------------------------------------------
// Broadcasts
// ---------------------------------------------------------------------------------------------

/**
 * Slack's broadcast mentions in mrkdwn: `<!channel>`, `<!here>`, `<!everyone>` and user groups
 * (`<!subteam^S…>`), each with or without a `|label`. Gatehouse never broadcasts, so one in what it
 * sends can only have come from user data that was not escaped.
 */
const BROADCAST_MENTION = /<!(?:channel|here|everyone|group|subteam\^[^>|]*)(?:\|[^>]*)?>/gi;

/** Mrkdwn strings in a payload Slack renders: its top-level `text` and every mrkdwn text object or markdown block. */
function mrkdwnStringsIn(payload: unknown): string[] {
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (isRecord(node)) {
      if ((node.type === 'mrkdwn' || node.type === 'markdown') && typeof node.text === 'string') found.push(node.text);
      // A rich_text broadcast element is a broadcast by construction.
      if (node.type === 'broadcast' && typeof node.range === 'string') found.push(`<!${node.range}>`);
      Object.values(node).forEach(visit);
    }
  };
  if (isRecord(payload) && typeof payload.text === 'string') found.push(payload.text);
  visit(isRecord(payload) ? { ...payload, text: undefined } : payload);
  return found;
}

/** The broadcast mentions in what an app sends (a message, a view, an ack body): each one a problem. */
export function broadcastMentionsIn(payload: unknown): string[] {
  return mrkdwnStringsIn(payload).flatMap((text) => text.match(BROADCAST_MENTION) ?? []);
}
