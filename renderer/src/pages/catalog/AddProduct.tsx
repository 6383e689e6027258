import { useState, type FormEvent } from 'react';
import type { FieldDef } from '../../../../electron/core/contract';
import { api } from '../../host';
import { Dialog, FormActions, useToast } from '../../components/ui';
// Zod-free constants: the same limits and sort fields the host checks.
import { LIMITS } from '../../../../servers/products/limits';

/** A form value of one of the catalog's own fields as the host takes it (undefined: left empty). */
function fieldValue(f: FieldDef, form: FormData): string | number | boolean | undefined {
  const name = `field:${f.key}`;
  const text = String(form.get(name) ?? '').trim();
  if (text === '') return undefined;
  return f.type === 'number' ? Number(text) : f.type === 'yes-no' ? text === 'yes' : text;
}

function FieldInput({ f }: { f: FieldDef }) {
  const id = `np-f-${f.key}`;
  const name = `field:${f.key}`;
  return (
    <div className="field">
      <label htmlFor={id}>{f.label}</label>
      {f.type === 'choice' || f.type === 'yes-no' ? (
        <select id={id} name={name} defaultValue="">
          <option value="">—</option>
          {(f.type === 'yes-no' ? ['yes', 'no'] : (f.choices ?? [])).map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          name={name}
          type={f.type === 'number' ? 'number' : f.type === 'date' ? 'date' : f.type === 'link' ? 'url' : 'text'}
          step={f.type === 'number' ? 'any' : undefined}
          placeholder={f.type === 'link' ? 'https://…' : undefined}
        />
      )}
    </div>
  );
}

export function AddProduct({
  open,
  onClose,
  categories,
  fields,
}: {
  open: boolean;
  onClose: () => void;
  categories: string[];
  fields: readonly FieldDef[];
}) {
  const toast = useToast();
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? '').trim();
    const values = Object.fromEntries(
      fields.flatMap((d) => {
        const v = fieldValue(d, f);
        return v === undefined ? [] : [[d.key, v] as const];
      }),
    );
    try {
      const p = await api.createProduct({
        name: text('name'),
        price: Number(text('price')),
        category: text('category'),
        ...(text('stock') ? { stock: Number(text('stock')) } : {}),
        ...(text('sku') ? { sku: text('sku') } : {}),
        ...(text('description') ? { description: text('description') } : {}),
        ...(Object.keys(values).length ? { fields: values } : {}),
      });
      toast('success', `Added ${p.name} (${p.sku})`);
      setError(null);
      onClose();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <Dialog title="Add a product" open={open} onClose={onClose}>
      <form onSubmit={submit} className="form-grid">
        <div className="field">
          <label htmlFor="np-name">Name *</label>
          <input id="np-name" name="name" required maxLength={LIMITS.name} />
        </div>
        <div className="field">
          <label htmlFor="np-price">Price *</label>
          <input id="np-price" name="price" type="number" min={0} step="0.01" required />
        </div>
        <div className="field">
          <label htmlFor="np-category">Category *</label>
          <input id="np-category" name="category" list="np-categories" required maxLength={LIMITS.category} />
          <datalist id="np-categories">
            {categories.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor="np-stock">Stock</label>
          <input id="np-stock" name="stock" type="number" min={0} step={1} />
        </div>
        <div className="field">
          <label htmlFor="np-sku">SKU (generated if empty)</label>
          <input id="np-sku" name="sku" maxLength={LIMITS.sku} />
        </div>
        <div className="field">
          <label htmlFor="np-description">Description</label>
          <textarea id="np-description" name="description" rows={2} maxLength={LIMITS.description} />
        </div>
        {fields.map((d) => (
          <FieldInput key={d.key} f={d} />
        ))}
        <FormActions error={error} submitLabel="Add" onCancel={onClose} className="span-all" />
      </form>
    </Dialog>
  );
}
