// Shopify's calculated query cost (https://shopify.dev/docs/api/usage/limits#cost-calculation),
// approximated from the documented rules:
//   scalar / enum field                  0
//   object field                         1 + cost of its selection
//   interface / union field              1 + common selection + the most expensive fragment
//   connection (…Connection type)        2 + size × (1 + cost of one node's selection),
//                                        size = first ?? last (edges / pageInfo wrappers are free)
//   list field with `first` (refunds)    size × (1 + selection); `nodes(ids:)` sizes by ids.length
//   other lists                          as one object
//   mutation (each top-level field)      10, its payload selection not counted
// The *actual* cost walks the response the same way with the real list lengths, so it is
// never above the requested cost. Shopify's exact per-field costs may differ; docs/simulator.md.
import {
  getNamedType,
  isAbstractType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";

export const MUTATION_COST = 10;
export const CONNECTION_BASE_COST = 2;

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

export function findOperation(document: DocumentNode, operationName?: string | null): OperationDefinitionNode | null {
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName) return ops.find((op) => op.name?.value === operationName) ?? null;
  return ops.length === 1 ? (ops[0] as OperationDefinitionNode) : null;
}

function walkContext(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>): Walk {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  return { schema, fragments, variables };
}

export function requestedQueryCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): number {
  const walk = walkContext(schema, document, variables);
  if (operation.operation === "mutation") return countRootFields(walk, operation.selectionSet) * MUTATION_COST;
  const root = schema.getQueryType();
  return root ? selectionCost(walk, operation.selectionSet, root, undefined) : 0;
}

export function actualQueryCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>, data: unknown): number {
  const walk = walkContext(schema, document, variables);
  if (operation.operation === "mutation") return countRootFields(walk, operation.selectionSet) * MUTATION_COST;
  const root = schema.getQueryType();
  return root ? selectionCost(walk, operation.selectionSet, root, isRecord(data) ? data : null) : 0;
}

function countRootFields(walk: Walk, selectionSet: SelectionSetNode): number {
  let count = 0;
  for (const sel of selectionSet.selections) {
    if (sel.kind === Kind.FIELD) count += sel.name.value.startsWith("__") ? 0 : 1;
    else if (sel.kind === Kind.INLINE_FRAGMENT) count += countRootFields(walk, sel.selectionSet);
    else {
      const frag = walk.fragments.get(sel.name.value);
      if (frag) count += countRootFields(walk, frag.selectionSet);
    }
  }
  return count;
}

/**
 * Cost of a selection set on `type`. `data` undefined = requested cost (static); `data` given =
 * actual cost over that response object (null = the object was null, costs nothing below it).
 */
function selectionCost(walk: Walk, selectionSet: SelectionSetNode, type: GraphQLCompositeType, data: Record<string, unknown> | null | undefined): number {
  if (data === null) return 0;
  let common = 0;
  const perType = new Map<string, number>();
  const visit = (set: SelectionSetNode, condition: string | null): void => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const cost = fieldCost(walk, sel, condition ? (walk.schema.getType(condition) as GraphQLCompositeType) : type, data);
        if (condition && condition !== type.name) perType.set(condition, (perType.get(condition) ?? 0) + cost);
        else common += cost;
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        visit(sel.selectionSet, sel.typeCondition?.name.value ?? condition);
      } else {
        const frag = walk.fragments.get(sel.name.value);
        if (frag) visit(frag.selectionSet, frag.typeCondition.name.value);
      }
    }
  };
  visit(selectionSet, null);
  if (perType.size === 0) return common;
  if (data !== undefined) {
    // Actual cost: only the fragment matching the returned object's type counts.
    const typename = typeof data.__typename === "string" ? data.__typename : null;
    let matched = 0;
    for (const [cond, cost] of perType) if (typeMatches(walk.schema, typename, cond)) matched = Math.max(matched, cost);
    return common + matched;
  }
  return common + Math.max(...perType.values());
}

function typeMatches(schema: GraphQLSchema, typename: string | null, condition: string): boolean {
  if (!typename) return true;
  if (typename === condition) return true;
  const abstract = schema.getType(condition);
  const concrete = schema.getType(typename);
  return Boolean(abstract && concrete && isAbstractType(abstract) && isObjectType(concrete) && schema.isSubType(abstract, concrete));
}

function fieldCost(walk: Walk, node: FieldNode, parent: GraphQLCompositeType, data: Record<string, unknown> | undefined): number {
  const name = node.name.value;
  if (name.startsWith("__")) return 0;
  const def = getFieldDef(parent, name);
  if (!def) return 0;
  const named = getNamedType(def.type);
  if (isLeafType(named) || !node.selectionSet) return 0;
  const responseKey = node.alias?.value ?? name;
  const value = data === undefined ? undefined : data[responseKey];
  const composite = named as GraphQLCompositeType;

  if (named.name.endsWith("Connection") && (isObjectType(named) || isInterfaceType(named))) {
    return CONNECTION_BASE_COST + connectionNodesCost(walk, node.selectionSet, composite, data === undefined ? undefined : isRecord(value) ? value : null, node);
  }
  if (isListOutput(def.type)) {
    if (data === undefined) {
      const size = listSize(walk, node);
      return size * (1 + selectionCost(walk, node.selectionSet, composite, undefined));
    }
    if (!Array.isArray(value)) return 0;
    return value.reduce<number>((sum, item) => sum + (isRecord(item) ? 1 + selectionCost(walk, node.selectionSet as SelectionSetNode, composite, item) : 0), 0);
  }
  if (data !== undefined && !isRecord(value)) return 0;
  return 1 + selectionCost(walk, node.selectionSet, composite, data === undefined ? undefined : (value as Record<string, unknown>));
}

/** Per-node cost of `edges { node {…} }` / `nodes {…}`, times the page size (or actual count). */
function connectionNodesCost(walk: Walk, selectionSet: SelectionSetNode, connectionType: GraphQLCompositeType, value: Record<string, unknown> | null | undefined, fieldNode: FieldNode): number {
  if (value === null) return 0;
  const nodeType = connectionNodeType(connectionType);
  if (!nodeType) return 0;
  let perNodeStatic = 0;
  let actual = 0;
  const collect = (set: SelectionSetNode): void => {
    for (const sel of set.selections) {
      if (sel.kind !== Kind.FIELD) {
        const inner = sel.kind === Kind.INLINE_FRAGMENT ? sel.selectionSet : walk.fragments.get(sel.name.value)?.selectionSet;
        if (inner) collect(inner);
        continue;
      }
      const key = sel.alias?.value ?? sel.name.value;
      if (sel.name.value === "nodes" && sel.selectionSet) {
        if (value === undefined) perNodeStatic = Math.max(perNodeStatic, 1 + selectionCost(walk, sel.selectionSet, nodeType, undefined));
        else for (const item of asArray(value[key])) actual += isRecord(item) ? 1 + selectionCost(walk, sel.selectionSet, nodeType, item) : 0;
      } else if (sel.name.value === "edges" && sel.selectionSet) {
        for (const edgeSel of sel.selectionSet.selections) {
          if (edgeSel.kind !== Kind.FIELD || edgeSel.name.value !== "node" || !edgeSel.selectionSet) continue;
          const nodeKey = edgeSel.alias?.value ?? "node";
          if (value === undefined) perNodeStatic = Math.max(perNodeStatic, 1 + selectionCost(walk, edgeSel.selectionSet, nodeType, undefined));
          else
            for (const edge of asArray(value[key])) {
              const item = isRecord(edge) ? edge[nodeKey] : null;
              actual += isRecord(item) ? 1 + selectionCost(walk, edgeSel.selectionSet, nodeType, item) : 0;
            }
        }
      }
    }
  };
  collect(selectionSet);
  if (value === undefined) return listSize(walk, fieldNode) * perNodeStatic;
  // edges and nodes both selected return the same objects: don't charge them twice.
  const hasBoth = selectionSet.selections.some((s) => s.kind === Kind.FIELD && s.name.value === "edges") && selectionSet.selections.some((s) => s.kind === Kind.FIELD && s.name.value === "nodes");
  return hasBoth ? Math.ceil(actual / 2) : actual;
}

function connectionNodeType(connectionType: GraphQLCompositeType): GraphQLCompositeType | null {
  if (!isObjectType(connectionType) && !isInterfaceType(connectionType)) return null;
  const nodes = connectionType.getFields().nodes ?? connectionType.getFields().edges;
  if (!nodes) return null;
  const named = getNamedType(nodes.type);
  if (nodes.name === "edges" && (isObjectType(named) || isInterfaceType(named))) {
    const node = named.getFields().node;
    return node ? (getNamedType(node.type) as GraphQLCompositeType) : null;
  }
  return named as GraphQLCompositeType;
}

function listSize(walk: Walk, node: FieldNode): number {
  for (const name of ["first", "last"]) {
    const arg = node.arguments?.find((a) => a.name.value === name);
    if (arg) {
      const value = argValue(walk, arg.value);
      if (typeof value === "number") return value;
    }
  }
  const ids = node.arguments?.find((a) => a.name.value === "ids");
  if (ids) {
    const value = argValue(walk, ids.value);
    if (Array.isArray(value)) return value.length;
  }
  return 1;
}

function argValue(walk: Walk, value: ValueNode): unknown {
  switch (value.kind) {
    case Kind.VARIABLE:
      return walk.variables[value.name.value];
    case Kind.INT:
      return Number(value.value);
    case Kind.LIST:
      return value.values.map((v) => argValue(walk, v));
    default:
      return undefined;
  }
}

function getFieldDef(parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (isObjectType(parent) || isInterfaceType(parent)) return parent.getFields()[name];
  return undefined;
}

function isListOutput(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
