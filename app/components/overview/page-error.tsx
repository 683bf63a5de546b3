// A route's ErrorBoundary body: what happened and what to do, in a critical banner (a 404 from
// an id of another store reads as "not found in this store").
import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { Banner, Layout, Page } from "@shopify/polaris";

export function PageError({ title }: { title: string }) {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  const detail = isRouteErrorResponse(error) ? (typeof error.data === "string" && error.data ? error.data : error.statusText) : error instanceof Error ? error.message : null;
  return (
    <Page title={title}>
      <Layout>
        <Layout.Section>
          <div data-testid="page-error">
            <Banner tone="critical" title={notFound ? "Not found" : "This page could not be loaded"}>
              <p>{detail || "Something went wrong on Segmint's side."}</p>
              <p>{notFound ? "Check the link, or go back and pick it from the list." : "Reload the page in a minute. If it keeps failing, the Jobs page shows what went wrong in the background."}</p>
            </Banner>
          </div>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
