import { describe, expect, it } from 'vitest';
import { argLabel, argsFromForm, errorInWords, fieldKind, type PropSchema } from '../../renderer/src/schema-form.js';

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

describe('Try it in words', () => {
  it('names arguments as a person reads them', () => {
    expect(['city_id', 'low_stock_below', 'days', 'product_id'].map(argLabel)).toEqual(['City', 'Low stock below', 'Days', 'Product']);
  });

  it("turns a tool's error into a sentence with the arguments' labels", () => {
    const names = ['city_id', 'new_stock', 'days'];
    expect(errorInWords('Invalid arguments for get_forecast: city_id is a lower-case slug such as "new-york"', names)).toBe(
      'Check what you entered: City is a lower-case slug such as "new-york".',
    );
    expect(errorInWords('Invalid arguments for update_stock: new_stock: stock must not be negative', names)).toBe(
      'Check what you entered: New stock — stock must not be negative.',
    );
    expect(errorInWords('MCP error -32602: -500°C is below absolute zero (-273.15°C)', names)).toBe(
      '-500°C is below absolute zero (-273.15°C).',
    );
    expect(errorInWords('No product with id 999. Use query_products to find the right id.', names)).toBe(
      'No product with id 999. Use query_products to find the right id.',
    );
  });
});
