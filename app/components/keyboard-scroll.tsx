// Polaris' DataTable and IndexTable scroll sideways inside their own box on narrow screens, and
// that box cannot take keyboard focus: keyboard users could not scroll it (axe:
// scrollable-region-focusable, serious). Wrap a Polaris table in this: after hydration it makes
// the table's scroll box a focusable, labelled region. (Plain tables we draw ourselves put
// tabIndex on their own scroll box instead: overview/count-table.tsx, charts/frame.tsx.)
import { useEffect, useRef, type ReactNode } from "react";

/** Polaris 13's scroll boxes (DataTable, IndexTable). */
const POLARIS_SCROLL_BOXES = ".Polaris-DataTable__ScrollContainer, .Polaris-IndexTable-ScrollContainer";

export function KeyboardScrollable({ label, children }: { label: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // No dependency list: Polaris re-renders its scroll box (pagination, sorting, resizing).
    for (const box of ref.current?.querySelectorAll<HTMLElement>(POLARIS_SCROLL_BOXES) ?? []) {
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", label);
    }
  });
  return <div ref={ref}>{children}</div>;
}
