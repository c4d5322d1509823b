import type { ModalView, PlainTextOption } from '@slack/types';
import { HOME_STARTS, type HomeStart } from '../../domain/my-settings.js';
import { LANGUAGE_NAMES, LANGUAGES } from '../../i18n/languages.js';
import type { SettingsModel } from '../../services/settings.js';
import { plain } from './format.js';
import { CALLBACK, INPUT_ACTION, SETTINGS_FORM_BLOCK } from './ids.js';
import type { Words } from './words.js';

function homeStartName(start: HomeStart, words: Words): string {
  const say = words.say;
  return { last: say.homeStartLast, access: say.homeStartAccess, members: say.homeStartMembers }[start];
}

/** The sections someone may open App Home on: the users section only for those who manage members. */
export function homeStartsFor(model: Pick<SettingsModel, 'managesMembers'>): HomeStart[] {
  return HOME_STARTS.filter((start) => start !== 'members' || model.managesMembers);
}

/** `/access settings`, written in the language already chosen: a member sees the form in their own words. */
export function settingsView(model: SettingsModel, words: Words): ModalView {
  const say = words.say;
  // Each language is named in itself, so someone who cannot read the current one still finds theirs.
  const languageOptions: PlainTextOption[] = LANGUAGES.map((language) => ({ text: plain(LANGUAGE_NAMES[language], 75), value: language }));
  const startOption = (start: HomeStart): PlainTextOption => ({ text: plain(homeStartName(start, words), 75), value: start });
  const startOptions = homeStartsFor(model).map(startOption);
  const chosenStart = startOptions.find((option) => option.value === model.settings.homeStart) ?? startOptions[0];
  return {
    type: 'modal',
    callback_id: CALLBACK.settings,
    title: plain(say.settingsTitle, 24),
    submit: plain(say.settingsSave, 24),
    close: plain(say.settingsCancel, 24),
    blocks: [
      {
        type: 'input',
        block_id: SETTINGS_FORM_BLOCK.language,
        label: plain(say.settingsLanguage, 2000),
        hint: plain(say.settingsLanguageHint, 2000),
        element: {
          type: 'static_select',
          action_id: INPUT_ACTION,
          options: languageOptions,
          initial_option: languageOptions.find((option) => option.value === model.settings.language),
        },
      },
      {
        type: 'input',
        block_id: SETTINGS_FORM_BLOCK.homeStart,
        label: plain(say.settingsHomeStart, 2000),
        hint: plain(say.settingsHomeStartHint, 2000),
        element: {
          type: 'radio_buttons',
          action_id: INPUT_ACTION,
          options: startOptions,
          ...(chosenStart ? { initial_option: chosenStart } : {}),
        },
      },
    ],
  };
}

/** The private reply once saved, in the language just chosen. */
export function settingsSavedText(result: { changed: boolean; settings: SettingsModel['settings'] }, words: Words): string {
  const say = words.say;
  if (!result.changed) return say.settingsUnchanged;
  const home = say.settingsSavedHome(homeStartName(result.settings.homeStart, words));
  return `${say.settingsSaved(LANGUAGE_NAMES[result.settings.language])} ${home}`;
}
