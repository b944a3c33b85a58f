/**
 * Remote text made safe to show: C0 and C1 control characters (escape sequences, bells, carriage
 * returns) and DEL removed, so a page title cannot repaint a terminal. `oneLine` also turns line
 * breaks and tabs into spaces, for table cells and tree lines.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// eslint-disable-next-line no-control-regex
const BREAKS = /[\t\n\r\u2028\u2029]+/g;

export function stripControl(text: string): string {
  return text.replace(CONTROL, '');
}

export function oneLine(text: string): string {
  return text.replace(BREAKS, ' ').replace(CONTROL, '');
}
