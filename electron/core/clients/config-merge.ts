// Carrying another program's edit into a later version of the file (see updateConfig).
import { isDeepStrictEqual } from 'node:util';
import { applyEdits, getNodeValue, modify, parseTree, type JSONPath, type ParseError } from 'jsonc-parser';
import { parseOptions, type ConfigFormat } from './config-parse.js';

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Carries another program's edit (from `base` to `theirs`) into `text`, a later version of the file
 * that was built without it: each value it added, changed or removed is carried over where `text`
 * still holds the base's value (where `text` changed it too, `text` wins), as jsonc-parser edits
 * that leave the rest of `text` as it is. Our own entries are not touched.
 */
export function carryOver(
  base: unknown,
  theirs: unknown,
  text: string,
  format: ConfigFormat,
  formatting: { insertSpaces: boolean; tabSize: number; eol: string },
): string {
  // YAML and TOML files: not carried (their writes are still guarded: checked before the rename,
  // and someone's file put back when theirs landed in between).
  if (format.syntax === 'yaml' || format.syntax === 'toml') return text;
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, parseOptions(format.jsonc));
  if (!tree || errors.length) return text;
  const now = getNodeValue(tree) as unknown;
  const edits: Array<[JSONPath, unknown]> = [];
  const walk = (at: JSONPath, b: unknown, t: unknown, n: unknown) => {
    if (isDeepStrictEqual(b, t)) return;
    if (isPlain(b) && isPlain(t) && isPlain(n)) {
      for (const key of new Set([...Object.keys(b), ...Object.keys(t)])) {
        if (at.length === 1 && at[0] === format.containerKey && format.isOurs(key)) continue;
        walk([...at, key], b[key], t[key], n[key]);
      }
    } else if (at.length > 0 && isDeepStrictEqual(n, b)) edits.push([at, t]);
  };
  walk([], base, theirs, now);
  let out = text;
  for (const [at, value] of edits) out = applyEdits(out, modify(out, at, value, { formattingOptions: formatting }));
  return out;
}
