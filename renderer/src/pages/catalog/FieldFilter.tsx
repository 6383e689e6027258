import type { FieldDef } from '../../../../electron/core/contract';

/** A test on one of the catalog's own fields, as the person set it in the toolbar. */
export interface FieldTest {
  key: string;
  /** Equal to (text, choice, link; 'yes'/'no' for yes/no). */
  value?: string;
  /** From and to (numbers and dates), as typed. */
  min?: string;
  max?: string;
  type: FieldDef['type'];
}

type Where = Record<string, string | number | boolean | { min?: string | number; max?: string | number }>;

/** The test as listProducts' `where` (as query_products takes it), or undefined while it tests nothing. */
export function whereOf(t: FieldTest | null): Where | undefined {
  if (!t) return undefined;
  if (t.type === 'number' || t.type === 'date') {
    const read = (s: string | undefined) => (s === undefined || s.trim() === '' ? undefined : t.type === 'number' ? Number(s) : s);
    const min = read(t.min);
    const max = read(t.max);
    if (min === undefined && max === undefined) return undefined;
    if ((typeof min === 'number' && !Number.isFinite(min)) || (typeof max === 'number' && !Number.isFinite(max))) return undefined;
    return { [t.key]: { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) } };
  }
  if (!t.value) return undefined;
  return { [t.key]: t.type === 'yes-no' ? t.value === 'yes' : t.value };
}

/** Filter the product list on one field: a value, or a range for numbers and dates. */
export function FieldFilter({
  fields,
  value,
  onChange,
}: {
  fields: ReadonlyArray<FieldDef>;
  value: FieldTest | null;
  onChange: (t: FieldTest | null) => void;
}) {
  const field = fields.find((f) => f.key === value?.key);
  const set = (patch: Partial<FieldTest>) => value && onChange({ ...value, ...patch });
  return (
    <span className="field-filter">
      <label className="sr-only" htmlFor="catalog-field">
        Filter on a field
      </label>
      <select
        id="catalog-field"
        value={field?.key ?? ''}
        onChange={(e) => {
          const f = fields.find((x) => x.key === e.target.value);
          onChange(f ? { key: f.key, type: f.type } : null);
        }}
      >
        <option value="">Any {fields.length === 1 ? fields[0]!.label : 'field'}</option>
        {fields.map((f) => (
          <option key={f.key} value={f.key}>
            {f.label}
          </option>
        ))}
      </select>
      {field && (field.type === 'number' || field.type === 'date') && (
        <>
          {(['min', 'max'] as const).map((end) => (
            <span key={end} className="field-filter-end">
              <label className="sr-only" htmlFor={`catalog-field-${end}`}>
                {field.label} {end === 'min' ? 'from' : 'to'}
              </label>
              <input
                id={`catalog-field-${end}`}
                className="short"
                type={field.type === 'number' ? 'number' : 'date'}
                placeholder={end === 'min' ? 'from' : 'to'}
                value={value?.[end] ?? ''}
                onChange={(e) => set({ [end]: e.target.value })}
              />
            </span>
          ))}
        </>
      )}
      {field && (field.type === 'choice' || field.type === 'yes-no') && (
        <>
          <label className="sr-only" htmlFor="catalog-field-value">
            {field.label} is
          </label>
          <select id="catalog-field-value" value={value?.value ?? ''} onChange={(e) => set({ value: e.target.value })}>
            <option value="">any</option>
            {(field.type === 'yes-no' ? ['yes', 'no'] : (field.choices ?? [])).map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </>
      )}
      {field && (field.type === 'text' || field.type === 'link') && (
        <>
          <label className="sr-only" htmlFor="catalog-field-value">
            {field.label} is exactly
          </label>
          <input
            id="catalog-field-value"
            className="short"
            placeholder="is exactly…"
            value={value?.value ?? ''}
            onChange={(e) => set({ value: e.target.value })}
          />
        </>
      )}
    </span>
  );
}
