/**
 * Control characters (C0, DEL, C1) and the bidi controls that reorder what a terminal shows. A name
 * or message from the network that carried them could rewrite the screen, the window title or the
 * clipboard of whoever reads it.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** A remote string made safe to show a person: line breaks and tabs become spaces, other controls go. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => (c === '\n' || c === '\r' || c === '\t' ? ' ' : ''));
}
