// What a page shows while the next one loads (a client-side navigation): Polaris' skeleton of a
// page with the destination's title, so the layout stays put and the wait is visible at once.
// The first load is rendered on the server with its data and never needs this.
import { Card, Layout, SkeletonBodyText, SkeletonDisplayText, SkeletonPage, BlockStack } from "@shopify/polaris";
import { ADMIN_PAGES } from "./admin-nav";

/** The admin page a path belongs to ("/app/segments/seg-3" → "Segments"). */
export function pageTitleOf(pathname: string): string {
  const match = [...ADMIN_PAGES].filter((p) => pathname === p.url || pathname.startsWith(`${p.url}/`)).sort((a, b) => b.url.length - a.url.length)[0];
  return match?.label ?? "Segmint";
}

export function PageLoading({ pathname }: { pathname: string }) {
  return (
    <div aria-busy="true" data-testid="page-loading">
      <SkeletonPage title={pageTitleOf(pathname)}>
        <Layout>
          <Layout.Section>
            <BlockStack gap="400">
              {[0, 1, 2].map((i) => (
                <Card key={i}>
                  <BlockStack gap="300">
                    <SkeletonDisplayText size="small" />
                    <SkeletonBodyText lines={4} />
                  </BlockStack>
                </Card>
              ))}
            </BlockStack>
          </Layout.Section>
        </Layout>
      </SkeletonPage>
    </div>
  );
}
