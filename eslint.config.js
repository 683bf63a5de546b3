// Lint rules, including the module boundaries that keep the architecture true
// (docs/architecture.md): the analytics core is pure, routes stay thin adapters.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const NODE_BUILTINS = [
  "assert", "buffer", "child_process", "cluster", "crypto", "dgram", "dns", "events", "fs", "fs/promises",
  "http", "http2", "https", "net", "os", "path", "perf_hooks", "process", "readline", "stream", "stream/promises",
  "timers", "tls", "url", "util", "v8", "vm", "worker_threads", "zlib",
];

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
  {
    // Routes are adapters: they call services/models/jobs, never the database client or Prisma directly.
    files: ["app/routes/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@prisma/*", ".prisma/*"], message: "Routes reach data through app/models or app/services." },
            { group: ["../analytics/*/*"], message: "Routes use app/services, which use the analytics core." },
          ],
        },
      ],
    },
  },
  {
    files: ["app/components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/*.server", "**/*.server.ts"], message: "Components are presentation only." }] },
      ],
    },
  },
);
