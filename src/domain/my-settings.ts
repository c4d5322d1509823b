/**
 * What a member chooses for themselves in `/access settings`: the language Gatehouse writes to them
 * in, and where App Home opens. My Esri calls the second a default landing page.
 */
import { z } from 'zod';
import { LANGUAGES } from '../i18n/languages.js';

/** "last" reopens App Home where it was left; the others open that section every time. */
export const HOME_STARTS = ['last', 'access', 'members'] as const;
export type HomeStart = (typeof HOME_STARTS)[number];

export const mySettingsSchema = z.object({
  language: z.enum(LANGUAGES),
  homeStart: z.enum(HOME_STARTS),
});
export type MySettings = z.infer<typeof mySettingsSchema>;

export function homeStartOr(stored: string | null | undefined): HomeStart {
  const parsed = z.enum(HOME_STARTS).safeParse(stored);
  return parsed.success ? parsed.data : 'last';
}
