/**
 * A slice of a long text for a reader with a budget (an assistant's tool result): from `offset`, at
 * most `maxChars`, ending at a line break when one falls in the last half, so a block is rarely cut.
 */
export function textWindow(text: string, offset: number, maxChars: number): { text: string; end: number; truncated: boolean } {
  const start = Math.min(Math.max(0, offset), text.length);
  let end = Math.min(text.length, start + maxChars);
  if (end < text.length) {
    const paragraph = text.lastIndexOf('\n\n', end);
    const line = text.lastIndexOf('\n', end);
    const cut = paragraph > start + maxChars / 2 ? paragraph + 2 : line > start + maxChars / 2 ? line + 1 : end;
    end = cut;
  }
  return { text: text.slice(start, end), end, truncated: end < text.length };
}
