import { fnv1a32 } from "../../../app/utils/fnv-hash";
import { seededRandom } from "../../../app/utils/seeded-random";

/**
 * Deterministic randomness: every decision in the world is drawn from a
 * generator seeded by (world seed, entity key, purpose), so adding a company
 * or a page never reshuffles the others.
 */
export function hash32(...parts: Array<string | number>): number {
  let h = fnv1a32(parts.map((part) => `${part}\u0000`).join(""));
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

export type Rng = {
  next(): number;
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  pickSome<T>(items: readonly T[], count: number): T[];
  weighted<T extends string>(weights: Readonly<Record<T, number>>): T;
};

export function rng(...parts: Array<string | number>): Rng {
  const next = seededRandom(hash32(...parts) || 1);
  const self: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    pickSome: (items, count) => {
      const pool = [...items];
      const out = [];
      while (out.length < count && pool.length) out.push(pool.splice(Math.floor(next() * pool.length), 1)[0]!);
      return out;
    },
    weighted: (weights) => {
      const entries = Object.entries(weights) as Array<[string, number]>;
      const total = entries.reduce((sum, [, w]) => sum + w, 0);
      let roll = next() * total;
      for (const [key, w] of entries) {
        roll -= w;
        if (roll < 0) return key as never;
      }
      return entries[entries.length - 1]![0] as never;
    },
  };
  return self;
}
