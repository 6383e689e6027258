// The catalog's own fields: their types, limits and words, as plain constants (no zod), so the
// window can use them without bundling the schemas (fields.ts has the rules).

export const FIELD_TYPES = ['text', 'number', 'yes-no', 'date', 'choice', 'link'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const FIELD_LIMITS = { fields: 50, label: 60, key: 40, choices: 100, choice: 60, text: 2000, link: 2000 } as const;

/** A field as the catalog keeps it. */
export interface FieldDef {
  key: string;
  label: string;
  type: FieldType;
  /** A choice field's options, in order; null for the other types. */
  choices: string[] | null;
  position: number;
}

export type FieldValue = string | number | boolean;

/** A field that was removed, kept with its values so the removal can be undone. */
export interface RemovedField extends FieldDef {
  id: number;
  removedAt: string;
  /** When the removal was undone; null while it can be. */
  restoredAt: string | null;
  /** How many products had a value. */
  products: number;
}

/** One product's value of a field. */
export interface FieldEntry {
  id: number;
  sku: string;
  name: string;
  value: FieldValue;
}

/** What a type is called in messages ("weight_kg must be a number"). */
export const TYPE_WORDS: Record<FieldType, string> = {
  text: 'text',
  number: 'a number',
  'yes-no': 'yes or no',
  date: 'a date',
  choice: 'one of a list',
  link: 'a link',
};

/** What a type is called where a person picks one. */
export const TYPE_NAMES: Record<FieldType, string> = {
  text: 'Text',
  number: 'Number',
  'yes-no': 'Yes / no',
  date: 'Date',
  choice: 'Choice from a list',
  link: 'Link (web address)',
};
