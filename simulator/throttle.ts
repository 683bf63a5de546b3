// Shopify's GraphQL Admin rate limit: a leaky bucket per app × shop. A request must be able to
// pay its *requested* cost up front; the difference to the *actual* cost is refunded after
// execution. Standard plan: 2,000 points, restoring 100 points per second.
import type { Clock } from "./clock";

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface ThrottleConfig {
  maximumAvailable: number;
  restoreRate: number;
  /** Single-query ceiling, checked before the bucket (MAX_COST_EXCEEDED). */
  maxQueryCost: number;
}

export const STANDARD_PLAN: ThrottleConfig = { maximumAvailable: 2000, restoreRate: 100, maxQueryCost: 1000 };

export class CostBucket {
  private available: number;
  private lastRefill: number;

  constructor(
    private readonly clock: Clock,
    readonly config: ThrottleConfig = STANDARD_PLAN,
  ) {
    this.available = config.maximumAvailable;
    this.lastRefill = clock.now();
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.lastRefill);
    this.available = Math.min(this.config.maximumAvailable, this.available + (elapsed / 1000) * this.config.restoreRate);
    this.lastRefill = now;
  }

  /** Takes `cost` points if the bucket holds them; otherwise takes nothing and returns false. */
  tryConsume(cost: number): boolean {
    this.refill();
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }

  refund(points: number): void {
    this.refill();
    this.available = Math.min(this.config.maximumAvailable, this.available + Math.max(0, points));
  }

  /** Empties the bucket (fault injection: "THROTTLED from now on until it restores"). */
  drain(): void {
    this.refill();
    this.available = 0;
  }

  status(): ThrottleStatus {
    this.refill();
    // Shopify reports maximumAvailable/restoreRate as floats and currentlyAvailable as an integer.
    return { maximumAvailable: this.config.maximumAvailable, currentlyAvailable: Math.floor(this.available), restoreRate: this.config.restoreRate };
  }
}
