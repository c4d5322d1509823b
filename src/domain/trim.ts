/**
 * `text` without the run of `leading` characters at its start and of `trailing` ones at its end.
 * One pass from each end, so it stays linear where a `[…]+$` regex backtracks quadratically.
 */
export function stripEnds(text: string, leading: string, trailing: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && leading.includes(text[start]!)) start += 1;
  while (end > start && trailing.includes(text[end - 1]!)) end -= 1;
  return text.slice(start, end);
}
