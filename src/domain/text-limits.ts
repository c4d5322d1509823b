/**
 * The longest free text each form field takes. The forms set these as their inputs' max_length,
 * and the server refuses anything longer, because a forged submission is not held to the form.
 */
export const TEXT_LIMIT = {
  purpose: 1000,
  note: 1000,
  reason: 1000,
  organizationName: 200,
  acronym: 30,
  department: 200,
  city: 100,
  customerNumber: 32,
  tag: 40,
  tags: 10,
  endDateNote: 1000,
} as const;

export interface TagLimit {
  /** Characters in one tag. */
  tag: number;
  /** Tags on one connection or invitation. */
  tags: number;
}

/** The characters a comma-separated tags box takes: every tag at its longest, with ", " between. */
export function tagsTextLimit(limit: TagLimit): number {
  return limit.tags * (limit.tag + 2);
}

export function tooLongMessage(limit: number): string {
  return `Keep it to at most ${limit} characters.`;
}

/** The message for each text longer than its limit; empty when everything fits. */
export function overLongTexts<Field extends string>(
  texts: Partial<Record<Field, string | null | undefined>>,
  limits: Record<Field, number>,
): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  for (const field of Object.keys(texts) as Field[]) {
    const text = texts[field];
    if (text && text.length > limits[field]) errors[field] = tooLongMessage(limits[field]);
  }
  return errors;
}

/** What is wrong with the tags typed in a tags box (the raw text and the tags read from it), or null. */
export function tagsProblem(text: string | null | undefined, tags: readonly string[], limit: TagLimit): string | null {
  if ((text?.length ?? 0) > tagsTextLimit(limit) || tags.length > limit.tags)
    return `Up to ${limit.tags} tags, each of at most ${limit.tag} characters.`;
  if (tags.some((tag) => tag.length > limit.tag)) return `Keep each tag to at most ${limit.tag} characters.`;
  return null;
}
