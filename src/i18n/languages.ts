/** The languages Gatehouse speaks. A member's choice is stored on Member.language; invitations carry their own. */
export const LANGUAGES = ['en', 'es', 'fr'] as const;

export type Language = (typeof LANGUAGES)[number];

export const DEFAULT_LANGUAGE: Language = 'en';

/** Each language by its own name, as a language picker shows it. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', es: 'Español', fr: 'Français' };

export function isLanguage(code: unknown): code is Language {
  return typeof code === 'string' && (LANGUAGES as readonly string[]).includes(code);
}

/** A stored language code, or English for one Gatehouse no longer (or never) spoke. */
export function languageOr(code: string | null | undefined): Language {
  return isLanguage(code) ? code : DEFAULT_LANGUAGE;
}
