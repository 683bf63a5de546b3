import type { HeadersFunction, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useLocation, useNavigation, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { AdminNav, ADMIN_PAGES } from "../components/admin-nav";
import { PageLoading } from "../components/page-loading";
import { config } from "../config.server";
import { requireAdmin } from "../shopify/admin-auth.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: polarisStyles }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const cfg = config();
  return { apiKey: cfg.SHOPIFY_API_KEY, demo: Boolean(cfg.SEGMINT_SIMULATOR_URL) };
}

export default function AppLayout() {
  const { apiKey, demo } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const location = useLocation();
  // Another page is loading (not a form post, not this page's own revalidation or search): its skeleton.
  const nextPath = navigation.state === "loading" && navigation.formMethod === undefined ? navigation.location.pathname : null;
  const showSkeleton = nextPath !== null && nextPath !== location.pathname;
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey}>
      {demo ? (
        // The offline demo has no Shopify admin (and no App Bridge) around it: the same pages as a
        // bar. (Without App Bridge, <ui-nav-menu> would show its links as bare inline text.)
        <AdminNav />
      ) : (
        // Inside Shopify admin, App Bridge turns this into the app's sidebar navigation.
        <NavMenu>
          {ADMIN_PAGES.map((p) => (
            <Link key={p.url} to={p.url} {...(p.url === "/app" ? { rel: "home" } : {})}>
              {p.label}
            </Link>
          ))}
        </NavMenu>
      )}
      {/* The page's landmark (axe "region"): every page's content lives in it. */}
      <main>{showSkeleton ? <PageLoading pathname={nextPath} /> : <Outlet />}</main>
    </AppProvider>
  );
}

// Shopify needs its own error boundary and headers for embedded auth redirects to work.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
