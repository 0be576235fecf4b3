// Plain string helpers that a regular expression would make super-linear.

/** `text` without the run of `char` at its end. A loop, where /x+$/ would try every start: quadratic. */
export function trimTrailing(text: string, char: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === char) end--;
  return text.slice(0, end);
}
