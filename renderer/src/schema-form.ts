/** The part of a JSON Schema property the Try-it form understands. */
export interface PropSchema {
  type?: string | string[];
  enum?: unknown[];
  description?: string;
  minimum?: number;
  maximum?: number;
}

export type FieldKind = 'enum' | 'boolean' | 'number' | 'integer' | 'json' | 'text';

/** Which control a property gets: a select for enums and booleans, a number box, JSON for objects and arrays. */
export function fieldKind(p: PropSchema): FieldKind {
  if (p.enum) return 'enum';
  const t = (Array.isArray(p.type) ? p.type.find((x) => x !== 'null') : p.type) ?? 'string';
  if (t === 'boolean') return 'boolean';
  if (t === 'number') return 'number';
  if (t === 'integer') return 'integer';
  if (t === 'object' || t === 'array') return 'json';
  return 'text';
}

/**
 * Turns what was typed into tool arguments: empty fields are left out (so defaults apply),
 * numbers and booleans get their types, JSON fields are parsed. Bad JSON is an error naming the field.
 */
export function argsFromForm(
  props: Record<string, PropSchema>,
  values: Record<string, string>,
): { args: Record<string, unknown> } | { error: string } {
  const args: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(props)) {
    const raw = values[name] ?? '';
    if (raw === '') continue;
    switch (fieldKind(p)) {
      case 'number':
      case 'integer':
        args[name] = Number(raw);
        break;
      case 'boolean':
        args[name] = raw === 'true';
        break;
      case 'json':
        try {
          args[name] = JSON.parse(raw);
        } catch {
          return { error: `${name} must be JSON` };
        }
        break;
      case 'enum': {
        // Enum values may be numbers; send the original value, not its text.
        const match = p.enum!.find((v) => String(v) === raw);
        args[name] = match ?? raw;
        break;
      }
      default:
        args[name] = raw;
    }
  }
  return { args };
}

/** A tool argument's name as a person reads it: "city_id" → "City", "low_stock_below" → "Low stock below". */
export function argLabel(name: string): string {
  const words = name.replace(/_id$/, '').replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A tool's error as a sentence for a person: "Invalid arguments for get_forecast: city_id is a
 * lower-case slug…" becomes "Check what you entered: City is a lower-case slug…"; argument names
 * become their labels, and the sentence ends with a full stop.
 */
export function errorInWords(text: string, argNames: readonly string[]): string {
  let s = text.trim().replace(/^MCP error -?\d+:\s*/, '');
  s = s.replace(/^Invalid arguments for [\w-]+:\s*/, 'Check what you entered: ');
  for (const name of [...argNames].sort((a, b) => b.length - a.length)) {
    s = s.replace(new RegExp(`\\b${name}\\b(:)?`, 'g'), (_m, colon: string | undefined) => `${argLabel(name)}${colon ? ' —' : ''}`);
  }
  return /[.!?]["”]?$/.test(s) ? s : `${s}.`;
}
