// Text from outside (a line of Claude's log, a database server's error, an MCP client's self-chosen
// name) shown in a terminal or a page: its control characters could move the cursor, clear the
// screen, retitle the window or reverse the text around them. They are shown as escapes instead.

/** C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides and isolates. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escape = (ch: string) => {
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** `text` with every control character shown as an escape (`\x1b`); tabs and newlines kept. */
export function visible(text: string): string {
  return text.replace(UNSAFE, escape);
}

/** The same for text that must stay on one line (a name): newlines and tabs escaped too. */
export function visibleLine(text: string): string {
  return text.replace(UNSAFE_LINE, escape);
}

/** A lone UTF-16 surrogate: half a character, which no file, database or URL can hold as text. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Whether text is well-formed Unicode (no lone surrogate). */
export const wellFormed = (text: string) => !LONE_SURROGATE.test(text);

/** Text with each lone surrogate replaced by U+FFFD, for what only shows or addresses stored text. */
export const toWellFormed = (text: string) => text.replace(/\p{Cs}/gu, '\uFFFD');

/** What text holding a lone surrogate is refused with. */
export const HALF_CHARACTER = (what: string) =>
  `${what} contains half of a character (a lone UTF-16 surrogate, such as an emoji cut in two): send the whole character`;
