/**
 * A broken config, shown and (where the fix is unambiguous) fixed without a text editor: the lines
 * around the place it breaks, and for a JSON file a trailing comma taken out or the closing braces a
 * cut-short file lacks put back — only when the fixed text then reads cleanly, so a fix never guesses.
 */
import { parseConfigText, type ConfigFormat, type ConfigParseError } from './config-parse.js';
import type { ConfigProblem, ExcerptLine } from '../api/clients.js';

export type { ConfigProblem };

const excerptOf = (text: string, line: number, around = 3): ExcerptLine[] => {
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines.at(-1) === '') lines.pop(); // the file's last line break starts no line
  const from = Math.max(1, line - around);
  const to = Math.min(lines.length, line + around);
  return lines.slice(from - 1, to).map((t, i) => ({ n: from + i, text: t }));
};

/** Offset of a (1-based) line and column in the text. */
const offsetOf = (text: string, line: number, column: number) => {
  let at = 0;
  for (let l = 1; l < line; l++) at = text.indexOf('\n', at) + 1;
  return at + column - 1;
};

/** The fixed text, or null when no one fix is sure. */
export function fixedText(
  text: string,
  err: ConfigParseError,
  format: ConfigFormat,
): { text: string; description: string; line: number } | null {
  if ((format.syntax ?? 'json') !== 'json' || format.jsonc) return null;
  const reads = (t: string) => {
    try {
      parseConfigText('x', t, format);
      return true;
    } catch {
      return false;
    }
  };
  const at = offsetOf(text, err.line, err.column);
  // A comma before a closing } or ] (the error is at that closing bracket).
  if (/trailing comma/.test(err.reason) && (text[at] === '}' || text[at] === ']')) {
    const before = text.slice(0, at);
    const comma = before.search(/,\s*$/);
    if (comma >= 0) {
      const fixed = text.slice(0, comma) + text.slice(comma + 1);
      const line = text.slice(0, comma).split('\n').length;
      if (reads(fixed)) return { text: fixed, description: `Take out the comma at the end of line ${line}`, line };
    }
  }
  // A file cut short: the closing brackets it lacks, in order, at its end.
  if (/closing [}\]] is missing/.test(err.reason)) {
    const open: string[] = [];
    let inString = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' || c === '[') open.push(c === '{' ? '}' : ']');
      else if (c === '}' || c === ']') open.pop();
    }
    if (!inString && open.length > 0) {
      const eol = text.includes('\r\n') ? '\r\n' : '\n';
      const body = text.replace(/\s*$/, '');
      const closing = open.reverse().map((c, i, all) => `${'  '.repeat(all.length - 1 - i)}${c}`);
      const fixed = `${body}${eol}${closing.join(eol)}${eol}`;
      if (reads(fixed))
        return {
          text: fixed,
          description: `Put back the ${open.length === 1 ? `closing ${open[0]}` : `${open.length} closing brackets`} the file ends without`,
          line: body.split('\n').length + 1,
        };
    }
  }
  return null;
}

export function problemOf(text: string, err: ConfigParseError, format: ConfigFormat): ConfigProblem {
  const fix = fixedText(text, err, format);
  return {
    line: err.line,
    column: err.column,
    reason: err.reason,
    excerpt: excerptOf(text, err.line),
    fix: fix && { description: fix.description, excerpt: excerptOf(fix.text, fix.line) },
  };
}
