import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { DomainError } from '../../domain/errors.js';
import { mySettingsSchema } from '../../domain/my-settings.js';
import { mySettings, saveMySettings } from '../../services/settings.js';
import type { GatehouseContext } from '../context.js';
import type { ListenerRouter } from '../listener-router.js';
import { tellPrivately } from '../tell-privately.js';
import { openModalOnTrigger } from '../trigger-bound.js';
import { CALLBACK, INPUT_ACTION, SETTINGS_FORM_BLOCK } from '../views/ids.js';
import { settingsSavedText, settingsView } from '../views/settings-form.js';
import { selectedValueOf, stateOf } from '../view-state.js';
import { wordsFor } from '../views/words.js';

interface OpenSettings {
  userId: string;
  triggerId: string;
  tell: (text: string) => Promise<unknown>;
}

/** `/access settings`: the form in the member's current language. */
export async function openSettings(context: GatehouseContext, client: WebClient, request: OpenSettings): Promise<void> {
  const model = await mySettings(context.sql, request.userId, context.now());
  await openModalOnTrigger({
    client,
    triggerId: request.triggerId,
    view: settingsView(model, wordsFor(model.settings.language)),
    logger: context.logger,
    tell: request.tell,
  });
}

const submittingUser = z.object({ id: z.string().min(1), team_id: z.string().optional() });

export function registerSettings(router: ListenerRouter, context: GatehouseContext): void {
  router.view(
    CALLBACK.settings,
    async ({ body, view, ack, client }) => {
      const state = stateOf(view);
      const parsed = mySettingsSchema.safeParse({
        language: selectedValueOf(state, SETTINGS_FORM_BLOCK.language, INPUT_ACTION),
        homeStart: selectedValueOf(state, SETTINGS_FORM_BLOCK.homeStart, INPUT_ACTION),
      });
      const user = submittingUser.parse(body.user);
      if (!parsed.success) {
        const fields = new Set(parsed.error.issues.map((issue) => String(issue.path[0])));
        throw DomainError.ofFields({
          language: fields.has('language') ? 'Choose a language.' : undefined,
          homeStart: fields.has('homeStart') ? 'Choose where App Home opens.' : undefined,
        });
      }
      const result = await saveMySettings(
        context.prisma,
        { slackUserId: user.id, slackTeamId: user.team_id ?? null },
        parsed.data,
        context.now(),
      );
      await ack();
      await tellPrivately(client, user.id, null, settingsSavedText(result, wordsFor(result.settings.language)));
    },
    { fields: SETTINGS_FORM_BLOCK, fallback: SETTINGS_FORM_BLOCK.language },
  );
}
