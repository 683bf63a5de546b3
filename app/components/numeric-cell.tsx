// A table cell holding a number: right-aligned, tabular figures (Polaris IndexTable convention,
// the heading says alignment "end").
import { IndexTable, Text } from "@shopify/polaris";
import type { ReactNode } from "react";

export function NumericCell({ children }: { children: ReactNode }) {
  return (
    <IndexTable.Cell>
      <Text as="span" numeric alignment="end">
        {children}
      </Text>
    </IndexTable.Cell>
  );
}
