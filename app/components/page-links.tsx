// Previous/next page links under a paged table: Polaris's Pagination with a URL only on a side
// that has a page to go to. Polaris draws a side without a URL as a disabled button; given one, it
// draws a link without href that keeps its aria-label, which axe refuses (aria-prohibited-attr).
import { Pagination } from "@shopify/polaris";

export function PageLinks({
  page,
  hasNext,
  hrefFor,
  label,
  accessibilityLabels,
}: {
  /** The page shown, from 1. */
  page: number;
  hasNext: boolean;
  hrefFor: (page: number) => string;
  label: string;
  accessibilityLabels?: { previous: string; next: string };
}) {
  const hasPrevious = page > 1;
  return (
    <Pagination
      hasPrevious={hasPrevious}
      hasNext={hasNext}
      previousURL={hasPrevious ? hrefFor(page - 1) : undefined}
      nextURL={hasNext ? hrefFor(page + 1) : undefined}
      label={label}
      accessibilityLabels={accessibilityLabels}
    />
  );
}
