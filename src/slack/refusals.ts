import type { ViewOutput } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { DomainError } from '../domain/errors.js';
import { tellPrivately } from './tell-privately.js';
import { escapeMrkdwn } from './views/mrkdwn.js';

/**
 * The one place a refusal (a DomainError) becomes Slack's answer. On a form that is still open it
 * is field errors, keyed by the blocks that show them, so the form stays as it was filled in;
 * anywhere else it is a message only the person sees. Anything else thrown is not a refusal: it
 * goes on to Bolt's `app.error` (src/slack/failed-requests.ts), which logs it and tells the person
 * that something went wrong.
 */

/** Block ids to try in turn; the first the view has is used. */
type Blocks = string | readonly string[];

/** Where a form shows the errors of each field. */
export interface FieldPlacement {
  fields: Readonly<Record<string, Blocks>>;
  /** Where a refusal without fields goes, and errors of fields this form does not have. */
  fallback: Blocks;
  /** Said after an error about a field this form does not have, e.g. one on an earlier step. */
  elsewhere?: string;
  /**
   * For forms a refusal makes pointless (the decision is no longer this person's to make): a
   * refusal about none of the form's fields closes it, and is told privately in the conversation
   * this returns (null: by DM), where the person pressed the button that opened it.
   */
  closeIn?: (view: ViewOutput) => string | null;
}

/** A form's placement, or one read from the view when block ids change with it. */
export type FormPlacement = FieldPlacement | ((view: ViewOutput) => FieldPlacement);

function blocksOf(blocks: Blocks): readonly string[] {
  return typeof blocks === 'string' ? [blocks] : blocks;
}

function blockIdsOf(view: ViewOutput): string[] {
  // Bolt's type says a view always has blocks; a forged submission need not, and Slack's never lack them.
  const blocks = (view.blocks as ViewOutput['blocks'] | undefined) ?? [];
  return blocks.map((block) => block.block_id).filter((id): id is string => typeof id === 'string');
}

/** The refusal as Slack's `errors` for this view: Slack rejects errors for blocks the view lacks, so each lands on one it has. */
function placementFor(view: ViewOutput, form: FormPlacement): FieldPlacement {
  return typeof form === 'function' ? form(view) : form;
}

export function fieldErrorsOn(view: ViewOutput, error: DomainError, form: FormPlacement): Record<string, string> {
  const placement = placementFor(view, form);
  const present = blockIdsOf(view);
  // A submission that lists no blocks at all (Slack's always do) gives nothing to check against.
  const firstPresent = (blocks: Blocks) =>
    present.length === 0 ? blocksOf(blocks)[0] : blocksOf(blocks).find((id) => present.includes(id));
  const fallback = firstPresent(placement.fallback) ?? present[0] ?? blocksOf(placement.fallback)[0] ?? 'form';
  const fields = Object.entries(error.fieldErrors).filter((entry): entry is [string, string] => Boolean(entry[1]));
  const keyed: Record<string, string> = {};
  const add = (block: string, message: string) => {
    keyed[block] = keyed[block] ? `${keyed[block]} ${message}` : message;
  };
  if (fields.length === 0) add(fallback, error.message);
  for (const [field, message] of fields) {
    const candidates = placement.fields[field];
    const block = candidates === undefined ? undefined : firstPresent(candidates);
    if (block) add(block, message);
    else add(fallback, placement.elsewhere ? `${message} ${placement.elsewhere}` : message);
  }
  return keyed;
}

/** What a refusal needs from the request it answers. */
export interface RefusedRequest {
  /** Whether Slack has had its answer; until then the refusal is the answer. */
  acked: boolean;
  /** Answers Slack with field errors: an open form's submission. Absent for everything else. */
  answerForm?: (errors: Record<string, string>) => Promise<void>;
  view?: ViewOutput;
  placement?: FormPlacement;
  /** Answers Slack with the refusal itself, when the request is still unanswered: a slash command's reply. */
  reply?: (text: string) => Promise<void>;
  /** Answers Slack with nothing to show, when the request is still unanswered. */
  ackEmpty: () => Promise<void>;
  /** Tells the person privately: next to what they pressed, in their DM, or through a command's response_url. */
  tell: (text: string) => Promise<unknown>;
  /** Tells the person privately in a given conversation (null: by DM): for forms placed with `closeIn`. */
  tellIn?: (channelId: string | null, text: string) => Promise<unknown>;
}

export async function answerRefusal(error: DomainError, request: RefusedRequest): Promise<void> {
  const text = escapeMrkdwn(error.message);
  if (!request.acked && request.answerForm && request.view) {
    const placement = placementFor(request.view, request.placement ?? { fields: {}, fallback: [] });
    const onThisForm = Object.entries(error.fieldErrors).some(([field, message]) => message && placement.fields[field] !== undefined);
    if (!placement.closeIn || !request.tellIn || onThisForm) {
      await request.answerForm(fieldErrorsOn(request.view, error, placement));
      return;
    }
    await request.ackEmpty();
    await request.tellIn(placement.closeIn(request.view), text);
    return;
  }
  if (!request.acked && request.reply) {
    await request.reply(text);
    return;
  }
  if (!request.acked) await request.ackEmpty();
  await request.tell(text);
}

/** `ack`, wrapped so that a refusal knows whether Slack already has its answer. */
export function trackAck<Ack extends (...args: never[]) => Promise<unknown>>(ack: Ack): { ack: Ack; acked: () => boolean } {
  let acked = false;
  const tracked = ((...args: Parameters<Ack>) => {
    acked = true;
    return ack(...args);
  }) as Ack;
  return { ack: tracked, acked: () => acked };
}

/** Runs a handler; a refusal it throws is answered here, anything else goes on to Bolt's `app.error`. */
export async function answeringRefusals(run: () => Promise<void>, request: () => RefusedRequest): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    await answerRefusal(error, request());
  }
}

/** Where a block action or an interaction from a message can be answered privately. */
export function tellerFor(
  client: WebClient,
  body: { user: { id: string }; channel?: { id?: string }; container?: { channel_id?: string } },
) {
  const channelId = body.channel?.id ?? body.container?.channel_id ?? null;
  return (text: string) => tellPrivately(client, body.user.id, channelId, text);
}
