/**
 * Remote text made safe to show a person: C0 and C1 control characters (escape sequences, bells,
 * carriage returns), DEL, and the bidi controls that reorder what a terminal shows are removed, so a
 * page title or an error message from the network cannot repaint the screen, set the window title or
 * write the clipboard of whoever reads it.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const BREAKS = /[\t\n\r\u2028\u2029]+/g;

/** Controls removed; line breaks and tabs kept (for multi-line text such as a page body). */
export function stripControl(text: string): string {
  return text.replace(CONTROL, '');
}

/** One line: breaks and tabs become a space, other controls go (names, messages, table cells, tree lines). */
export function oneLine(text: string): string {
  return text.replace(BREAKS, ' ').replace(CONTROL, '');
}

/** A remote name or message made safe to show on one line. */
export const printable = oneLine;
