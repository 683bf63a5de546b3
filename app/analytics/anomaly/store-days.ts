// Store days (docs/anomalies.md): days whose order count or revenue falls far outside a
// weekday-aware robust expectation. CONTRACT STUB — replaced by its owner.
import type { AnomalyOrder, DayAnomaly } from "./types";

export interface StoreDayOptions {
  /** The last complete day to judge (the shop's yesterday, or the data's last day). */
  readonly lastDay: number;
  /** Weeks of same-weekday history an expectation is built from. Default 8. */
  readonly weeks?: number;
  /** Robust z beyond which a day is flagged. Default 3.5. */
  readonly threshold?: number;
  readonly formatMoney?: (milli: number) => string;
}

/** Days whose order count or revenue falls far outside a weekday-aware robust expectation. */
export function detectStoreDayAnomalies(orders: readonly AnomalyOrder[], options: StoreDayOptions): DayAnomaly[] {
  void orders;
  void options;
  throw new Error("not implemented");
}

