// Live progress without a manual reload: re-runs the page's loader every `everyMs` while
// `active` (something runs), and stops as soon as the loader says nothing does. Skips a tick
// while the tab is hidden or the previous revalidation is still in flight.
import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";

export const LIVE_POLL_MS = 2000;

export function useRevalidateWhile(active: boolean, everyMs: number = LIVE_POLL_MS): void {
  const revalidator = useRevalidator();
  const latest = useRef(revalidator);
  latest.current = revalidator;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "hidden" || latest.current.state !== "idle") return;
      latest.current.revalidate();
    }, everyMs);
    return () => clearInterval(timer);
  }, [active, everyMs]);
}
