// The sample catalog a new catalog starts with (either engine): only rows.ts beside it, so neither engine loads the other to seed.
import { skuFor } from './rows.js';

/** The seed guide's catalog: first-run sample data that prompts written against it expect. */
export const SEED_PRODUCTS: ReadonlyArray<{ name: string; price: number; category: string; stock: number }> = [
  { name: 'Widget A', price: 29.99, category: 'Electronics', stock: 150 },
  { name: 'Widget B', price: 49.99, category: 'Electronics', stock: 75 },
  { name: 'Gadget X', price: 199.99, category: 'Electronics', stock: 30 },
  { name: 'Tool Y', price: 79.99, category: 'Tools', stock: 100 },
  { name: 'Supply Z', price: 9.99, category: 'Supplies', stock: 500 },
];

/** Whether a product is the `i`-th sample as a new catalog seeds it (its SKU, name, price and category untouched). */
export const isUntouchedSample = (p: { name: string; sku: string; price: number; category: string }, i: number): boolean =>
  SEED_PRODUCTS[i] !== undefined &&
  p.sku === skuFor(i + 1) &&
  p.name === SEED_PRODUCTS[i].name &&
  p.price === SEED_PRODUCTS[i].price &&
  p.category === SEED_PRODUCTS[i].category;

/** Whether these products (the whole catalog, in id order) are just the samples a new catalog starts with. */
export const isSampleCatalog = (products: ReadonlyArray<{ name: string; sku: string; price: number; category: string }>): boolean =>
  products.length === SEED_PRODUCTS.length && products.every(isUntouchedSample);
