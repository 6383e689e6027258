import { describe, expect, it } from 'vitest';
import { argsFromForm, fieldKind, type PropSchema } from '../../renderer/src/schema-form.js';

// The input schema of query_products as the server lists it (abridged).
const props: Record<string, PropSchema> = {
  min_price: { type: 'number' },
  category: { type: 'string' },
  in_stock: { type: 'boolean' },
  sort: { type: 'string', enum: ['name', 'price'] },
  limit: { type: 'integer' },
  tags: { type: 'array' },
  page: { type: ['integer', 'null'] },
  level: { enum: [1, 2, 3] },
};

describe('Try it form', () => {
  it('picks a control per property type', () => {
    expect(Object.fromEntries(Object.entries(props).map(([k, p]) => [k, fieldKind(p)]))).toEqual({
      min_price: 'number',
      category: 'text',
      in_stock: 'boolean',
      sort: 'enum',
      limit: 'integer',
      tags: 'json',
      page: 'integer',
      level: 'enum',
    });
  });

  it('leaves empty fields out and gives the rest their types', () => {
    expect(
      argsFromForm(props, {
        min_price: '9.5',
        category: 'Tools',
        in_stock: 'false',
        sort: 'price',
        limit: '20',
        tags: '["a"]',
        level: '2',
        page: '',
      }),
    ).toEqual({
      args: { min_price: 9.5, category: 'Tools', in_stock: false, sort: 'price', limit: 20, tags: ['a'], level: 2 },
    });
    expect(argsFromForm(props, {})).toEqual({ args: {} });
  });

  it('names the field whose JSON does not parse', () => {
    expect(argsFromForm(props, { tags: '[oops' })).toEqual({ error: 'tags must be JSON' });
  });
});
