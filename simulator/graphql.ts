// Admin GraphQL execution: every document is parsed and validated against the real 2026-10
// schema, then executed by graphql-js over plain views (resolvers/ / mutations.ts).
// Errors take Shopify's shape: { message, locations, path?, extensions: { code, ... } }, HTTP 200.
import {
  executeSync,
  getVariableValues,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLTypeResolver,
  type OperationDefinitionNode,
  type ValidationRule,
} from "graphql";
import type { ResolverContext } from "./context";
import { actualQueryCost, findOperation, requestedQueryCost } from "./cost";
import { mutationRoot } from "./mutations";
import { queryRoot } from "./resolvers";
import { adminSchema } from "./schema";

export interface ShopifyGraphQLError {
  message: string;
  locations?: Array<{ line: number; column: number }>;
  path?: Array<string | number>;
  extensions: { code: string } & Record<string, unknown>;
}

export type Prepared = { ok: true; document: DocumentNode } | { ok: false; errors: ShopifyGraphQLError[] };

const preparedCache = new Map<string, Prepared>();
const PREPARED_CACHE_LIMIT = 500;

/** Parse + validate against the real schema. Cached: apps send the same documents over and over. */
export function prepareDocument(source: string): Prepared {
  const hit = preparedCache.get(source);
  if (hit) return hit;
  const result = prepareUncached(source);
  if (preparedCache.size >= PREPARED_CACHE_LIMIT) preparedCache.clear();
  preparedCache.set(source, result);
  return result;
}

function prepareUncached(source: string): Prepared {
  let document: DocumentNode;
  try {
    document = parse(source);
  } catch (error) {
    const gqlError = error instanceof GraphQLError ? error : new GraphQLError(String(error));
    return { ok: false, errors: [{ message: gqlError.message, ...(gqlError.locations ? { locations: [...gqlError.locations] } : {}), extensions: { code: "parseError" } }] };
  }
  const schema = adminSchema();
  if (validate(schema, document).length === 0) return { ok: true, document };
  // Re-run rule by rule only on failure, to know which rule fired (graphql-ruby's error codes).
  const errors: ShopifyGraphQLError[] = [];
  for (const rule of specifiedRules) {
    for (const error of validate(schema, document, [rule])) errors.push(shopifyValidationError(rule, error));
  }
  return { ok: false, errors };
}

function ruleCode(rule: ValidationRule): string {
  const name = rule.name.replace(/Rule$/, "");
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** graphql-js wording → the wording and codes Shopify's graphql-ruby uses for the common cases. */
function shopifyValidationError(rule: ValidationRule, error: GraphQLError): ShopifyGraphQLError {
  const locations = error.locations ? [...error.locations] : undefined;
  const base = (message: string, code: string, extra: Record<string, unknown> = {}): ShopifyGraphQLError => ({
    message,
    ...(locations ? { locations } : {}),
    extensions: { code, ...extra },
  });
  let m: RegExpExecArray | null;
  switch (rule.name) {
    case "FieldsOnCorrectTypeRule":
      if ((m = /Cannot query field "([^"]+)" on type "([^"]+)"/.exec(error.message))) {
        return base(`Field '${m[1]}' doesn't exist on type '${m[2]}'`, "undefinedField", { typeName: m[2], fieldName: m[1] });
      }
      break;
    case "KnownArgumentNamesRule":
      if ((m = /Unknown argument "([^"]+)" on field "(?:[^".]+\.)?([^"]+)"/.exec(error.message))) {
        return base(`Field '${m[2]}' doesn't accept argument '${m[1]}'`, "argumentNotAccepted", { name: m[2], typeName: "Field", argumentName: m[1] });
      }
      break;
    case "ProvidedRequiredArgumentsRule":
      if ((m = /Field "([^"]+)" argument "([^"]+)"/.exec(error.message))) {
        return base(`Field '${m[1]}' is missing required arguments: ${m[2]}`, "missingRequiredArguments", { className: "Field", name: m[1], arguments: m[2] });
      }
      break;
    case "NoUndefinedVariablesRule":
      if ((m = /Variable "\$([^"]+)" is not defined(?: by operation "([^"]+)")?/.exec(error.message))) {
        return base(`Variable $${m[1]} is used by ${m[2] ?? "anonymous query"} but not declared`, "variableNotDefined", { variableName: m[1] });
      }
      break;
    case "NoUnusedVariablesRule":
      if ((m = /Variable "\$([^"]+)" is never used(?: in operation "([^"]+)")?/.exec(error.message))) {
        return base(`Variable $${m[1]} is declared by ${m[2] ?? "anonymous query"} but not used`, "variableNotUsed", { variableName: m[1] });
      }
      break;
    case "ScalarLeafsRule":
      if ((m = /Field "([^"]+)" of type "([^"]+)" must have a selection of subfields/.exec(error.message))) {
        return base(`Field must have selections (field '${m[1]}' returns ${m[2].replace(/[![\]]/g, "")} but has no selections. Did you mean '${m[1]} { ... }'?)`, "selectionMismatch", { nodeName: `field '${m[1]}'`, typeName: m[2] });
      }
      if ((m = /Field "([^"]+)" must not have a selection since type "([^"]+)"/.exec(error.message))) {
        return base(`Selections can't be made on scalars (field '${m[1]}' returns ${m[2].replace(/[![\]]/g, "")} but has selections)`, "selectionMismatch", { nodeName: `field '${m[1]}'`, typeName: m[2] });
      }
      break;
    case "KnownTypeNamesRule":
      if ((m = /Unknown type "([^"]+)"/.exec(error.message))) return base(`No such type ${m[1]}, so it can't be a fragment condition`, "undefinedType", { typeName: m[1] });
      break;
  }
  return base(error.message, ruleCode(rule));
}

// ---- execution --------------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/**
 * Serves fields from view objects. A field the view doesn't define is an error naming it:
 * the simulator must never answer a field it doesn't model with a silent null.
 */
const fieldResolver: GraphQLFieldResolver<unknown, ResolverContext> = (source, args, _ctx, info) => {
  if (!isRecord(source) || !(info.fieldName in source)) {
    throw new GraphQLError(`Segmint simulator: field '${info.fieldName}' on type '${info.parentType.name}' is not implemented`, {
      extensions: { code: "SIMULATOR_UNSUPPORTED", typeName: info.parentType.name, fieldName: info.fieldName },
    });
  }
  const value = source[info.fieldName];
  // Views are plain objects with closures or class instances with methods: call with `this`.
  return typeof value === "function" ? (value as (a: Record<string, unknown>) => unknown).call(source, args) : value;
};

const typeResolver: GraphQLTypeResolver<unknown, ResolverContext> = (value) => (isRecord(value) && typeof value.__typename === "string" ? value.__typename : undefined);

export interface ExecutionOutcome {
  data?: Record<string, unknown> | null;
  errors?: ShopifyGraphQLError[];
}

export interface PreparedOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown>;
}

/** Validation + variable coercion; returns Shopify-shaped errors or a runnable operation. */
export function prepareOperation(source: string, rawVariables: Record<string, unknown> | null | undefined, operationName?: string | null): { ok: true; op: PreparedOperation } | { ok: false; errors: ShopifyGraphQLError[] } {
  const prepared = prepareDocument(source);
  if (!prepared.ok) return prepared;
  const operation = findOperation(prepared.document, operationName);
  if (!operation) {
    const message = operationName ? `No operation named "${operationName}"` : "An operation name is required when sending multiple operations.";
    return { ok: false, errors: [{ message, extensions: { code: "OPERATION_NOT_FOUND" } }] };
  }
  if (operation.operation === "subscription") return { ok: false, errors: [{ message: "Subscriptions are not supported", extensions: { code: "BAD_REQUEST" } }] };
  const coerced = getVariableValues(adminSchema(), operation.variableDefinitions ?? [], rawVariables ?? {}, { maxErrors: 50 });
  if (coerced.errors) {
    return {
      ok: false,
      errors: coerced.errors.map((error) => {
        const name = /Variable "\$([^"]+)"/.exec(error.message)?.[1] ?? "";
        const def = operation.variableDefinitions?.find((d) => d.variable.name.value === name);
        const typeText = def ? sourceSlice(source, def.type.loc?.start, def.type.loc?.end) : "";
        return {
          message: `Variable $${name} of type ${typeText} was provided invalid value`,
          ...(error.locations ? { locations: [...error.locations] } : {}),
          extensions: { code: "INVALID_VARIABLE", value: rawVariables?.[name] ?? null, problems: [{ path: [], explanation: error.message }] },
        };
      }),
    };
  }
  return { ok: true, op: { document: prepared.document, operation, variables: coerced.coerced } };
}

function sourceSlice(source: string, start: number | undefined, end: number | undefined): string {
  return start === undefined || end === undefined ? "" : source.slice(start, end);
}

export function executeOperation(op: PreparedOperation, ctx: ResolverContext): ExecutionOutcome {
  const isMutation = op.operation.operation === "mutation";
  const result = executeSync({
    schema: adminSchema(),
    document: op.document,
    rootValue: isMutation ? mutationRoot(ctx) : queryRoot(ctx),
    contextValue: ctx,
    variableValues: op.variables,
    ...(op.operation.name ? { operationName: op.operation.name.value } : {}),
    fieldResolver,
    typeResolver,
  });
  const outcome: ExecutionOutcome = { data: (result.data as Record<string, unknown> | null | undefined) ?? null };
  if (result.errors?.length) {
    outcome.errors = result.errors.map((error) => ({
      message: error.message,
      ...(error.locations ? { locations: [...error.locations] } : {}),
      ...(error.path ? { path: [...error.path] } : {}),
      extensions: { code: typeof error.extensions.code === "string" ? error.extensions.code : "INTERNAL_SERVER_ERROR", ...error.extensions },
    }));
    // Unexpected exceptions (bugs, state errors) should be visible in test output too.
    for (const error of result.errors) if (error.originalError && !(error.originalError instanceof GraphQLError)) console.error("[shopify-simulator]", error.originalError);
  }
  return outcome;
}

export function costOf(op: PreparedOperation): number {
  return requestedQueryCost(adminSchema(), op.document, op.operation, op.variables);
}

export function actualCostOf(op: PreparedOperation, data: unknown): number {
  return actualQueryCost(adminSchema(), op.document, op.operation, op.variables, data);
}
