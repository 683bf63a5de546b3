// The admin's pages, in the order of Shopify admin's app navigation. Inside Shopify, App Bridge's
// NavMenu shows them; the offline demo shows AdminNav, a bar of the same links (keyboard and
// screen-reader friendly: a labelled nav landmark, real links, the current page marked).
import { NavLink } from "@remix-run/react";
import { Box, InlineStack, Text } from "@shopify/polaris";

export const ADMIN_PAGES = [
  { url: "/app", label: "Overview" },
  { url: "/app/segments", label: "Segments" },
  { url: "/app/customers", label: "Customers" },
  { url: "/app/experiments", label: "Experiments" },
  { url: "/app/anomalies", label: "Anomalies" },
  { url: "/app/recommendations", label: "Recommendations" },
  { url: "/app/model", label: "Model" },
  { url: "/app/settings", label: "Settings" },
  { url: "/app/jobs", label: "Jobs" },
] as const;

export function AdminNav() {
  return (
    <Box background="bg-surface" borderBlockEndWidth="025" borderColor="border" paddingInline="400" paddingBlock="200">
      <nav aria-label="Segmint" data-testid="admin-nav">
        <InlineStack gap="400" blockAlign="center" wrap>
          <Text as="span" variant="headingSm">
            Segmint
          </Text>
          {ADMIN_PAGES.map((p) => (
            <NavLink
              key={p.url}
              to={p.url}
              end={p.url === "/app"}
              prefetch="intent"
              className="segmint-nav-link"
              style={({ isActive }) => ({
                color: isActive ? "var(--p-color-text)" : "var(--p-color-text-link)",
                fontWeight: isActive ? 650 : 450,
                textDecoration: isActive ? "none" : "underline",
                padding: "var(--p-space-100) var(--p-space-050)",
                minHeight: "24px",
                display: "inline-block",
              })}
            >
              {p.label}
            </NavLink>
          ))}
        </InlineStack>
      </nav>
    </Box>
  );
}
