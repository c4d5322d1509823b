import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  SlackActionMiddlewareArgs,
  SlackOptionsMiddlewareArgs,
  SlackViewAction,
  SlackViewMiddlewareArgs,
  ViewClosedAction,
} from '@slack/bolt';

export type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
export type ViewSubmissionArgs = SlackViewMiddlewareArgs<SlackViewAction> & AllMiddlewareArgs;
export type ViewClosedArgs = SlackViewMiddlewareArgs<ViewClosedAction> & AllMiddlewareArgs;
export type OptionsArgs = SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs;

type Matcher = string | RegExp;

function matches(matcher: Matcher, value: string | undefined): boolean {
  if (value === undefined) return false;
  return typeof matcher === 'string' ? matcher === value : matcher.test(value);
}

interface ActionRoute {
  actionId: Matcher;
  blockId?: Matcher;
  handler: (args: ActionArgs) => Promise<void>;
}

/**
 * Routes Slack's interactions to Gatehouse's handlers behind one Bolt listener per kind of
 * payload. Bolt runs every registered listener's matchers for every request, commands included,
 * so thirty listeners cost each `/access help` about a third of its throughput; here the lookup
 * is one map or list search, and only for the kind of payload that arrived.
 */
export class ListenerRouter {
  private readonly actions: ActionRoute[] = [];
  private readonly submissions = new Map<string, (args: ViewSubmissionArgs) => Promise<void>>();
  private readonly closings = new Map<string, (args: ViewClosedArgs) => Promise<void>>();
  private readonly suggestions = new Map<string, (args: OptionsArgs) => Promise<void>>();

  /** A block action, by action id, or by action id and block id together. */
  action(constraint: string | { action_id: Matcher; block_id?: Matcher }, handler: (args: ActionArgs) => Promise<void>): void {
    const route = typeof constraint === 'string' ? { actionId: constraint } : { actionId: constraint.action_id, blockId: constraint.block_id };
    this.actions.push({ ...route, handler });
  }

  view(callbackId: string, handler: (args: ViewSubmissionArgs) => Promise<void>): void {
    this.submissions.set(callbackId, handler);
  }

  viewClosed(callbackId: string, handler: (args: ViewClosedArgs) => Promise<void>): void {
    this.closings.set(callbackId, handler);
  }

  options(actionId: string, handler: (args: OptionsArgs) => Promise<void>): void {
    this.suggestions.set(actionId, handler);
  }

  install(app: App): void {
    app.action<BlockAction>({ type: 'block_actions' }, async (args) => {
      const { action } = args;
      const route = this.actions.find(
        (candidate) => matches(candidate.actionId, action.action_id) && (candidate.blockId === undefined || matches(candidate.blockId, action.block_id)),
      );
      // Slack waits for an answer to every interaction, even one Gatehouse has nothing to do for.
      if (route) await route.handler(args);
      else await args.ack();
    });
    app.view<SlackViewAction>({ type: 'view_submission', callback_id: /./ }, async (args) => {
      const handler = this.submissions.get(args.view.callback_id);
      if (handler) await handler(args);
      else await args.ack();
    });
    app.view<ViewClosedAction>({ type: 'view_closed', callback_id: /./ }, async (args) => {
      const handler = this.closings.get(args.view.callback_id);
      if (handler) await handler(args);
      else await args.ack();
    });
    app.options<'block_suggestion'>({ type: 'block_suggestion', action_id: /./ }, async (args) => {
      const handler = this.suggestions.get(args.options.action_id);
      if (handler) await handler(args);
      else await args.ack({ options: [] });
    });
  }
}
