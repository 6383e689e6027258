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
