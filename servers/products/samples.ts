// The sample catalog a new catalog starts with (either engine): a leaf, so neither engine loads the other to seed.

/** The seed guide's catalog: first-run sample data that prompts written against it expect. */
export const SEED_PRODUCTS: ReadonlyArray<{ name: string; price: number; category: string; stock: number }> = [
  { name: 'Widget A', price: 29.99, category: 'Electronics', stock: 150 },
  { name: 'Widget B', price: 49.99, category: 'Electronics', stock: 75 },
  { name: 'Gadget X', price: 199.99, category: 'Electronics', stock: 30 },
  { name: 'Tool Y', price: 79.99, category: 'Tools', stock: 100 },
  { name: 'Supply Z', price: 9.99, category: 'Supplies', stock: 500 },
];

/** Whether these products (the whole catalog) are just the samples a new catalog starts with, untouched. */
export function isSampleCatalog(products: ReadonlyArray<{ name: string; sku: string; price: number }>): boolean {
  return (
    products.length === SEED_PRODUCTS.length &&
    products.every(
      (p, i) =>
        p.name === SEED_PRODUCTS[i]!.name && p.price === SEED_PRODUCTS[i]!.price && p.sku === `SKU-${String(i + 1).padStart(6, '0')}`,
    )
  );
}
