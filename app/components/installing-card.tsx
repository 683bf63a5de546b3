// What an admin page shows while the install hook has not created the shop's row yet: a Polaris
// empty state that says so, what the page will show, and a reload of the page.
import { Card, EmptyState } from "@shopify/polaris";
import type { ReactNode } from "react";
import { EMPTY_ILLUSTRATION } from "./overview/empty-illustration";

export function InstallingCard({ reloadUrl, children }: { reloadUrl: string; children: ReactNode }) {
  return (
    <Card>
      <EmptyState heading="Segmint is finishing its installation" image={EMPTY_ILLUSTRATION} action={{ content: "Reload", url: reloadUrl }}>
        <p>{children}</p>
      </EmptyState>
    </Card>
  );
}
