import { en, type Catalog } from './catalog-en.js';
import { es } from './catalog-es.js';
import { fr } from './catalog-fr.js';
import type { Language } from './languages.js';

/** One catalog per language. */
export const CATALOGS: Record<Language, Catalog> = { en, es, fr };

export type { Catalog };
