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
import { answeringRefusals, tellerFor, trackAck, type FormPlacement } from './refusals.js';
import { tellPrivately } from './tell-privately.js';

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
  /** Where the form shows a refusal's field errors: view submissions only. */
  placement?: FormPlacement;
}

/** Each id has one handler: a second registration would silently replace the first. */
function addRoute<Args>(routes: Map<string, Route<Args>>, id: string, route: Route<Args>): void {
  if (routes.has(id)) throw new Error(`Two listeners for ${route.listener}`);
  routes.set(id, route);
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
export function timeListener<Args extends { context: Context; ack: AckFn<never> }>(
  args: Args,
  listener: string,
): ListenerObservation | undefined {
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

/** What a payload is routed on, for looking a route up without a request: the routing tests do. */
export type RoutedPayload =
  | { type: 'block_actions'; action_id: string; block_id?: string }
  | { type: 'view_submission' | 'view_closed'; callback_id: string }
  | { type: 'block_suggestion'; action_id: string };

/** A route as a lookup finds it: its metric label and the handler it calls. */
export interface RouteMatch {
  listener: string;
  /** The handler's own name, so tests can tell which of several handlers a payload reaches. */
  handler: string;
}

/**
 * Routes Slack's interactions to Gatehouse's handlers behind one Bolt listener per kind of
 * payload. Bolt runs every registered listener's matchers for every request, commands included,
 * so thirty listeners cost each `/access help` about a third of its throughput; here the lookup
 * is one map or list search, and only for the kind of payload that arrived. A refusal (a
 * DomainError) a handler throws is answered here, through src/slack/refusals.ts; anything else it
 * throws goes on to Bolt's `app.error`.
 */
export class ListenerRouter {
  private readonly actions: ActionRoute[] = [];
  private readonly submissions = new Map<string, Route<ViewSubmissionArgs>>();
  private readonly closings = new Map<string, Route<ViewClosedArgs>>();
  private readonly suggestions = new Map<string, Route<OptionsArgs>>();

  /** A block action, by action id, or by action id and block id together. */
  action(constraint: string | { action_id: Matcher; block_id?: Matcher }, handler: (args: ActionArgs) => Promise<void>): void {
    const route =
      typeof constraint === 'string' ? { actionId: constraint } : { actionId: constraint.action_id, blockId: constraint.block_id };
    const block = route.blockId === undefined ? '' : ` block:${labelOf(route.blockId)}`;
    const listener = `action:${labelOf(route.actionId)}${block}`;
    if (this.actions.some((existing) => existing.listener === listener)) throw new Error(`Two listeners for ${listener}`);
    this.actions.push({ ...route, handler, listener });
  }

  /** A form's submission; a refusal the handler throws before it acks is shown on the form as `placement` says. */
  view(callbackId: string, handler: (args: ViewSubmissionArgs) => Promise<void>, placement?: FormPlacement): void {
    addRoute(this.submissions, callbackId, { handler, listener: `view:${callbackId}`, placement });
  }

  viewClosed(callbackId: string, handler: (args: ViewClosedArgs) => Promise<void>): void {
    addRoute(this.closings, callbackId, { handler, listener: `view_closed:${callbackId}` });
  }

  options(actionId: string, handler: (args: OptionsArgs) => Promise<void>): void {
    addRoute(this.suggestions, actionId, { handler, listener: `options:${actionId}` });
  }

  /** Every block action route that claims this action; the first is the one that runs. */
  private actionRoutesFor(actionId: string, blockId: string | undefined): ActionRoute[] {
    return this.actions.filter(
      (candidate) => matches(candidate.actionId, actionId) && (candidate.blockId === undefined || matches(candidate.blockId, blockId)),
    );
  }

  /** Every route that would claim the payload, in the order they are tried: more than one means two routes overlap. */
  routesFor(payload: RoutedPayload): RouteMatch[] {
    let found: Array<{ listener: string; handler: { name: string } } | undefined>;
    switch (payload.type) {
      case 'block_actions':
        found = this.actionRoutesFor(payload.action_id, payload.block_id);
        break;
      case 'view_submission':
        found = [this.submissions.get(payload.callback_id)];
        break;
      case 'view_closed':
        found = [this.closings.get(payload.callback_id)];
        break;
      case 'block_suggestion':
        found = [this.suggestions.get(payload.action_id)];
    }
    return found.flatMap((route) => (route ? [{ listener: route.listener, handler: route.handler.name }] : []));
  }

  install(app: App): void {
    app.action<BlockAction>({ type: 'block_actions' }, async (args) => {
      const { action } = args;
      const [route] = this.actionRoutesFor(action.action_id, action.block_id);
      const observation = timeListener(args, route?.listener ?? UNROUTED.action);
      const { ack, acked } = trackAck(args.ack);
      args.ack = ack;
      try {
        // Slack waits for an answer to every interaction, even one Gatehouse has nothing to do for.
        if (route) {
          await answeringRefusals(
            () => route.handler(args),
            () => ({ acked: acked(), ackEmpty: () => ack(), tell: tellerFor(args.client, args.body) }),
          );
        } else await args.ack();
      } finally {
        observation?.finished();
      }
    });
    app.view<SlackViewAction>({ type: 'view_submission', callback_id: /./ }, async (args) => {
      const route = this.submissions.get(args.view.callback_id);
      const observation = timeListener(args, route?.listener ?? UNROUTED.view);
      const { ack, acked } = trackAck(args.ack);
      args.ack = ack;
      try {
        if (route) {
          await answeringRefusals(
            () => route.handler(args),
            () => ({
              acked: acked(),
              view: args.view,
              placement: route.placement,
              answerForm: (errors) => ack({ response_action: 'errors', errors }),
              ackEmpty: () => ack(),
              tell: tellerFor(args.client, args.body),
              tellIn: (channelId, text) => tellPrivately(args.client, args.body.user.id, channelId, text),
            }),
          );
        } else await args.ack();
      } finally {
        observation?.finished();
      }
    });
    app.view<ViewClosedAction>({ type: 'view_closed', callback_id: /./ }, async (args) => {
      const route = this.closings.get(args.view.callback_id);
      const observation = timeListener(args, route?.listener ?? UNROUTED.viewClosed);
      const { ack, acked } = trackAck(args.ack);
      args.ack = ack;
      try {
        if (route) {
          await answeringRefusals(
            () => route.handler(args),
            () => ({ acked: acked(), ackEmpty: () => ack(), tell: tellerFor(args.client, args.body) }),
          );
        } else await args.ack();
      } finally {
        observation?.finished();
      }
    });
    app.options<'block_suggestion'>({ type: 'block_suggestion', action_id: /./ }, async (args) => {
      const route = this.suggestions.get(args.options.action_id);
      const observation = timeListener(args, route?.listener ?? UNROUTED.options);
      const { ack, acked } = trackAck(args.ack);
      args.ack = ack;
      try {
        if (route) {
          await answeringRefusals(
            () => route.handler(args),
            // block_suggestion must be answered with options, or Slack shows the menu as failed.
            () => ({ acked: acked(), ackEmpty: () => ack({ options: [] }), tell: tellerFor(args.client, args.body) }),
          );
        } else await args.ack({ options: [] });
      } finally {
        observation?.finished();
      }
    });
  }
}
