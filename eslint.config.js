// Lint rules, including the module boundaries that keep the architecture true
// (docs/architecture.md, ADR 0012): the analytics core is pure, the layers point one way.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const NODE_BUILTINS = [
  "assert", "buffer", "child_process", "cluster", "crypto", "dgram", "dns", "events", "fs", "fs/promises",
  "http", "http2", "https", "net", "os", "path", "perf_hooks", "process", "readline", "stream", "stream/promises",
  "timers", "tls", "url", "util", "v8", "vm", "worker_threads", "zlib",
];

const NODE_PATTERNS = (what) => [
  { group: ["node:*", ...NODE_BUILTINS], message: `${what}: no Node modules.` },
];

// Import strings that reach into one of app/'s top folders from anywhere inside app/.
const UPPER = (...folders) => folders.flatMap((f) => [`../${f}/*`, `../../${f}/*`, `../../../${f}/*`, `~/${f}/*`, `../${f}`, `../../${f}`]);

// Outside the core, app/analytics is reached only through its public index.
const ANALYTICS_ONLY_THROUGH_INDEX = {
  group: ["**/analytics/*", "!**/analytics/index", "~/analytics/*", "!~/analytics/index"],
  message: "Import the analytics core through app/analytics/index.ts (its public surface), not its files.",
};

/** One no-restricted-imports block per layer, each with the analytics-index rule. */
function layers(blocks) {
  return blocks.map(({ files, ignores, patterns }) => ({
    files,
    ...(ignores ? { ignores } : {}),
    rules: { "no-restricted-imports": ["error", { patterns: [...patterns, ANALYTICS_ONLY_THROUGH_INDEX] }] },
  }));
}

export default tseslint.config(
  {
    ignores: [
      "build/**", "node_modules/**", ".cache/**", "public/build/**", "bench/tmp/**", "coverage/**",
      "test/fixtures/**/*", "!test/fixtures/**/", "!test/fixtures/**/*.ts", "extensions/**/assets/**", ".data/**", "prisma/postgresql/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: "readonly", console: "readonly", Buffer: "readonly", URL: "readonly", fetch: "readonly",
        setTimeout: "readonly", clearTimeout: "readonly", setInterval: "readonly", clearInterval: "readonly",
        Response: "readonly", Request: "readonly", Headers: "readonly", TextEncoder: "readonly", TextDecoder: "readonly",
        structuredClone: "readonly", performance: "readonly", AbortController: "readonly", globalThis: "readonly",
        window: "readonly", document: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
  {
    // The pure analytics core: no IO, no framework, no clock, no random source.
    files: ["app/analytics/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: NODE_BUILTINS.map((m) => ({ name: m, message: "app/analytics is pure: no Node modules (pass data in)." })),
          patterns: [
            { group: ["node:*"], message: "app/analytics is pure: no Node modules." },
            { group: ["@prisma/*", ".prisma/*", "prisma", "prisma/*"], message: "app/analytics may not touch the database." },
            { group: ["@shopify/*"], message: "app/analytics knows nothing of Shopify." },
            { group: ["@remix-run/*", "react", "react-dom", "react/*"], message: "app/analytics knows nothing of Remix or React." },
            { group: ["~/*", "../*.server", "../../*.server", "**/*.server", "**/db.server", "**/shopify.server"], message: "app/analytics imports only app/analytics." },
            { group: ["../models/*", "../services/*", "../jobs/*", "../shopify/*", "../routes/*", "../../*"], message: "app/analytics imports only app/analytics." },
          ],
        },
      ],
      "no-restricted-syntax": [
        "error",
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: "The clock comes in as `asOf`." },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "The clock comes in as `asOf`." },
        { selector: "MemberExpression[object.name='Math'][property.name='random']", message: "Randomness comes in as `seed`." },
        { selector: "MemberExpression[object.name='performance'][property.name='now']", message: "No clock in the analytics core." },
      ],
      "no-restricted-globals": [
        "error",
        { name: "process", message: "app/analytics is pure: no process." },
        { name: "fetch", message: "app/analytics is pure: no IO." },
        { name: "console", message: "app/analytics returns data; the caller reports." },
        { name: "require", message: "app/analytics is pure." },
      ],
    },
  },
  // Layers: `routes | jobs | cli → services → {models, shopify, queue, domain, analytics}`
  // (docs/architecture.md, ADR 0012). Each block lists the arrows its folder must not draw; a
  // file gets exactly one block (flat config replaces, not merges, a rule's options), so every
  // block also carries the rule that the analytics core is reached only through its index.
  ...layers([
    {
      files: ["app/**/*.{ts,tsx}", "cli/**/*.ts", "server.ts", "worker.ts"],
      ignores: ["app/analytics/**"],
      patterns: [],
    },
    {
      // Pure order vocabulary: below models and services, above nothing but the core.
      files: ["app/domain/**/*.ts"],
      patterns: [
        ...NODE_PATTERNS("app/domain is pure"),
        { group: ["@prisma/*", ".prisma/*", "@shopify/*", "@remix-run/*", "react", "react-dom", "**/*.server"], message: "app/domain is pure: no database, Shopify, Remix or I/O module." },
        { group: UPPER("models", "services", "jobs", "queue", "shopify", "routes", "components"), message: "app/domain imports only the analytics core." },
      ],
    },
    {
      files: ["app/models/**/*.ts"],
      patterns: [{ group: UPPER("services", "jobs", "shopify", "routes", "components"), message: "Models are data access: they never call services, jobs, Shopify or routes (they store app/domain's states)." }],
    },
    {
      files: ["app/shopify/**/*.ts"],
      patterns: [{ group: UPPER("services", "jobs", "queue", "models", "routes", "components"), message: "app/shopify speaks to Shopify only: no services, jobs, queue or models (the queue classifies its errors)." }],
    },
    {
      files: ["app/queue/**/*.ts"],
      patterns: [{ group: UPPER("services", "jobs", "models", "routes", "components"), message: "The queue knows no handler or use case: the entry points hand it app/jobs' registry." }],
    },
    {
      files: ["app/services/**/*.ts"],
      patterns: [{ group: UPPER("jobs", "routes", "components"), message: "Services are use cases: they enqueue through app/queue, never import a handler or a route." }],
    },
    {
      // The process model (server.ts and worker.ts's parts): threads, cluster, probes, shutdown.
      files: ["app/process/**/*.ts"],
      patterns: [{ group: UPPER("routes", "components"), message: "app/process runs the processes (job thread, cluster, probes, shutdown): it never imports routes or components." }],
    },
    {
      files: ["app/jobs/**/*.ts"],
      patterns: [{ group: UPPER("routes", "components"), message: "Job handlers call services; they never import routes or components." }],
    },
    {
      // Routes are adapters: authenticate → parse → one service or one job → respond.
      files: ["app/routes/**/*.{ts,tsx}"],
      patterns: [
        { group: ["@prisma/*", ".prisma/*"], message: "Routes reach data through app/services." },
        { group: ["**/db.server", "**/models/*", "**/models/**"], message: "Routes reach data through app/services, never db.server or a model." },
      ],
    },
    {
      files: ["app/components/**/*.{ts,tsx}"],
      patterns: [{ group: ["**/*.server", "**/*.server.ts"], message: "Components are presentation only." }],
    },
  ]),
  {
    // One reader of the environment: everything else gets validated values from config().
    files: ["app/**/*.{ts,tsx}", "cli/**/*.ts", "server.ts", "worker.ts"],
    ignores: ["app/config.server.ts"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Only app/config.server.ts reads process.env (validated once, with zod)." }],
    },
  },
  {
    // The app logs through app/logger.server.ts (pino, LOG_LEVEL), never console.
    files: ["app/**/*.{ts,tsx}", "server.ts", "worker.ts"],
    rules: { "no-console": "error" },
  },
);
