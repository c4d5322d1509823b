import type {
  AckFn,
  AllMiddlewareArgs,
  App,
  BlockAction,
  Context,
  SlackActionMiddlewareArgs,
  SlackOptionsMiddlewareArgs,
  SlackViewAction,
  SlackViewMiddlewareArgs,
  ViewClosedAction,
} from '@slack/bolt';
import type { ListenerObservation, ListenerTiming } from '../metrics.js';

export type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
export type ViewSubmissionArgs = SlackViewMiddlewareArgs<SlackViewAction> & AllMiddlewareArgs;
export type ViewClosedArgs = SlackViewMiddlewareArgs<ViewClosedAction> & AllMiddlewareArgs;
export type OptionsArgs = SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs;

type Matcher = string | RegExp;

function matches(matcher: Matcher, value: string | undefined): boolean {
  if (value === undefined) return false;
  return typeof matcher === 'string' ? matcher === value : matcher.test(value);
}

/** How a matcher reads in a metric label: ids as they are, patterns as their source text. */
function labelOf(matcher: Matcher): string {
  return typeof matcher === 'string' ? matcher : String(matcher);
}

interface ActionRoute {
  actionId: Matcher;
  blockId?: Matcher;
  handler: (args: ActionArgs) => Promise<void>;
  /** The metric label, fixed at registration so requests build no strings. */
  listener: string;
}

interface Route<Args> {
  handler: (args: Args) => Promise<void>;
  listener: string;
}

/** Labels for requests no route claims: one per kind, so stray ids cannot grow the label set. */
const UNROUTED = {
  action: 'action:unrouted',
  view: 'view:unrouted',
  viewClosed: 'view_closed:unrouted',
  options: 'options:unrouted',
} as const;

/*
 * Listener timing travels on Bolt's per-request context: global middleware and listeners share it,
 * and Bolt documents it as the place for such values. The keys are Gatehouse's own, clear of Bolt's.
 */
const TIMING_KEY = 'gatehouseListenerTiming';
const RECEIVED_AT_KEY = 'gatehouseReceivedAt';

/**
 * The events manifests/gatehouse.yaml subscribes to. Only these get their own metric label: any
 * signed request can name an event type, and a label per invented type would be a series per type
 * that is never dropped.
 */
export const SUBSCRIBED_EVENTS: ReadonlySet<string> = new Set(['app_home_opened']);
const LISTENER_BY_EVENT = new Map([...SUBSCRIBED_EVENTS].map((type) => [type, `event:${type}`]));
const OTHER_EVENT = 'event:other';

/**
 * Times every Slack request `app` receives: stamps its arrival for the listeners, which time their
 * own acks (see `timeListener`), and times events itself, as Bolt acks an event before any listener runs.
 */
export function timeListeners(app: App, timing: ListenerTiming): void {
  app.use(async (args) => {
    const { context } = args;
    const receivedAt = performance.now();
    context[TIMING_KEY] = timing;
    context[RECEIVED_AT_KEY] = receivedAt;
    if (!('event' in args)) return args.next();
    const observation = timing.observeListener(LISTENER_BY_EVENT.get(args.event.type) ?? OTHER_EVENT, receivedAt);
    observation.acked();
    try {
      await args.next();
    } finally {
      observation.finished();
    }
  });
}

/**
 * Starts timing the listener for this request under the label `listener`, and routes `args.ack`
 * through the timer, so read `ack` from `args` after calling this. Undefined when the app was
 * started without timing.
 */
export function timeListener<Args extends { context: Context; ack: AckFn<never> }>(args: Args, listener: string): ListenerObservation | undefined {
  const timing = args.context[TIMING_KEY] as ListenerTiming | undefined;
  if (!timing) return undefined;
  const observation = timing.observeListener(listener, args.context[RECEIVED_AT_KEY] as number);
  const ack: AckFn<never> = args.ack;
  const timedAck: AckFn<never> = (response) => {
    observation.acked();
    return ack(response);
  };
  // Bolt hands each listener its own copy of the arguments, so replacing `ack` touches no one else.
  // The cast only restores the listener's own ack type, which the wrapper passes through unchanged.
  args.ack = timedAck as Args['ack'];
  return observation;
}

/**
 * Routes Slack's interactions to Gatehouse's handlers behind one Bolt listener per kind of
 * payload. Bolt runs every registered listener's matchers for every request, commands included,
 * so thirty listeners cost each `/access help` about a third of its throughput; here the lookup
 * is one map or list search, and only for the kind of payload that arrived.
 */
export class ListenerRouter {
  private readonly actions: ActionRoute[] = [];
  private readonly submissions = new Map<string, Route<ViewSubmissionArgs>>();
  private readonly closings = new Map<string, Route<ViewClosedArgs>>();
  private readonly suggestions = new Map<string, Route<OptionsArgs>>();

  /** A block action, by action id, or by action id and block id together. */
  action(constraint: string | { action_id: Matcher; block_id?: Matcher }, handler: (args: ActionArgs) => Promise<void>): void {
    const route = typeof constraint === 'string' ? { actionId: constraint } : { actionId: constraint.action_id, blockId: constraint.block_id };
    const block = route.blockId === undefined ? '' : ` block:${labelOf(route.blockId)}`;
    this.actions.push({ ...route, handler, listener: `action:${labelOf(route.actionId)}${block}` });
  }

  view(callbackId: string, handler: (args: ViewSubmissionArgs) => Promise<void>): void {
    this.submissions.set(callbackId, { handler, listener: `view:${callbackId}` });
  }

  viewClosed(callbackId: string, handler: (args: ViewClosedArgs) => Promise<void>): void {
    this.closings.set(callbackId, { handler, listener: `view_closed:${callbackId}` });
  }

  options(actionId: string, handler: (args: OptionsArgs) => Promise<void>): void {
    this.suggestions.set(actionId, { handler, listener: `options:${actionId}` });
  }

  install(app: App): void {
    app.action<BlockAction>({ type: 'block_actions' }, async (args) => {
      const { action } = args;
      const route = this.actions.find(
        (candidate) => matches(candidate.actionId, action.action_id) && (candidate.blockId === undefined || matches(candidate.blockId, action.block_id)),
      );
      const observation = timeListener(args, route?.listener ?? UNROUTED.action);
      try {
        // Slack waits for an answer to every interaction, even one Gatehouse has nothing to do for.
        if (route) await route.handler(args);
        else await args.ack();
      } finally {
        observation?.finished();
      }
    });
    app.view<SlackViewAction>({ type: 'view_submission', callback_id: /./ }, async (args) => {
      const route = this.submissions.get(args.view.callback_id);
      const observation = timeListener(args, route?.listener ?? UNROUTED.view);
      try {
        if (route) await route.handler(args);
        else await args.ack();
      } finally {
        observation?.finished();
      }
    });
    app.view<ViewClosedAction>({ type: 'view_closed', callback_id: /./ }, async (args) => {
      const route = this.closings.get(args.view.callback_id);
      const observation = timeListener(args, route?.listener ?? UNROUTED.viewClosed);
      try {
        if (route) await route.handler(args);
        else await args.ack();
      } finally {
        observation?.finished();
      }
    });
    app.options<'block_suggestion'>({ type: 'block_suggestion', action_id: /./ }, async (args) => {
      const route = this.suggestions.get(args.options.action_id);
      const observation = timeListener(args, route?.listener ?? UNROUTED.options);
      try {
        if (route) await route.handler(args);
        else await args.ack({ options: [] });
      } finally {
        observation?.finished();
      }
    });
  }
}
