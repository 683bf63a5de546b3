import { createRng, type Basket } from "../../../app/analytics/index";

/** Seeded baskets over `products` products: each basket draws from one of a few groups, plus a rare long tail. */
export function syntheticBaskets(count: number, products: number, seed: number): Basket[] {
  const rng = createRng(seed);
  const groups = 6;
  const baskets: Basket[] = [];
  for (let b = 0; b < count; b++) {
    const group = Math.floor(rng() * groups);
    const items = new Set<string>();
    const size = 2 + Math.floor(rng() * 5);
    for (let k = 0; k < size; k++) {
      // Popular products (low ids) more often: the square of a uniform draw leans to 0.
      const within = Math.floor(rng() * rng() * (products / groups));
      items.add(`p${String(group + groups * within).padStart(4, "0")}`);
    }
    baskets.push({ id: `b${b}`, customerId: `c${b % 50}`, day: b, items: [...items].sort() });
  }
  return baskets;
}
