import { useState, type FormEvent } from 'react';
import { api } from '../../host';
import { Dialog, FormActions, useToast } from '../../components/ui';
// Zod-free constants: the same limits and sort fields the host checks.
import { LIMITS } from '../../../../servers/products/limits';

export function AddProduct({ open, onClose, categories }: { open: boolean; onClose: () => void; categories: string[] }) {
  const toast = useToast();
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? '').trim();
    try {
      const p = await api.createProduct({
        name: text('name'),
        price: Number(text('price')),
        category: text('category'),
        ...(text('stock') ? { stock: Number(text('stock')) } : {}),
        ...(text('sku') ? { sku: text('sku') } : {}),
        ...(text('description') ? { description: text('description') } : {}),
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
        <FormActions error={error} submitLabel="Add" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
