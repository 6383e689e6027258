// The search property test's cases (test/servers/search.test.ts, and against PostgreSQL in
// test/core/shared-search.test.ts): random catalogs in every script, and the reference a search must equal.
import type { NewProduct } from '../../servers/products/schema.js';

/** A small deterministic PRNG (mulberry32): the same cases every run. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Letters where case folding is interesting, marks, emoji (with skin tones and ZWJ), CJK, and the
// characters LIKE and FTS treat specially.
const ALPHABET = [
  ...'abcxyzABCXYZ0123456789 -_%\\"\'*().,:;/#',
  ...'éÉèñÑüÜßẞøØåÅçÇ',
  'e\u0301',
  'E\u0301',
  ...'İıIiΣσςΩω',
  ...'日本語中文한국어カタカナ',
  '🎉',
  '👍🏽',
  '👩‍💻',
  '🇯🇵',
];

export function word(r: () => number, min: number, max: number): string {
  const n = min + Math.floor(r() * (max - min + 1));
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(r() * ALPHABET.length)]!;
  return s;
}

export const fields = (p: { name: string; sku: string; description: string; category: string }) => [
  p.name,
  p.sku,
  p.description,
  p.category,
];
/** The reference: a plain case-insensitive substring scan of each field. */
export const matches = (p: Parameters<typeof fields>[0], q: string) => {
  const needle = q.trim().toLowerCase();
  return fields(p).some((f) => f.toLowerCase().includes(needle));
};

/** `count` random products. */
export function randomProducts(r: () => number, count: number): NewProduct[] {
  return Array.from({ length: count }, (_, i) => ({
    name: word(r, 1, 12).trim() || `p${i}`,
    price: Math.round(r() * 10000) / 100,
    category: word(r, 1, 6).trim() || 'c',
    stock: Math.floor(r() * 20),
    sku: `S${i}-${word(r, 0, 3).replace(/[^A-Za-z0-9]/g, '')}`,
    description: word(r, 0, 30),
  }));
}

/** 1,500 queries: pieces of existing fields (1–6 code points, in another case half the time) and random words. */
export function queriesFor(r: () => number, all: ReadonlyArray<Parameters<typeof fields>[0]>): string[] {
  const queries: string[] = [];
  for (let i = 0; i < 1500; i++) {
    if (r() < 0.7) {
      const p = all[Math.floor(r() * all.length)]!;
      const f = [...fields(p)[Math.floor(r() * 4)]!];
      if (f.length === 0) continue;
      const start = Math.floor(r() * f.length);
      let q = f.slice(start, start + 1 + Math.floor(r() * 6)).join('');
      if (r() < 0.5) q = r() < 0.5 ? q.toUpperCase() : q.toLowerCase();
      queries.push(q);
    } else queries.push(word(r, 1, 4));
  }
  return queries.filter((q) => q.trim() && ![...q].some((c) => c.charCodeAt(0) < 0x20));
}
