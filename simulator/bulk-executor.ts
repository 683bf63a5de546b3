// The fast bulk query executor. A bulk query is parsed and validated by graphql-js like every
// document (graphql.ts, bulk.ts); then, instead of graphql-js executing it over every object of
// the shop (tens of seconds and >1 GB for the Online Retail shop), this walks a selection plan
// compiled once from the validated document over the SAME views (resolvers/: queryRoot,
// orderView, LineItemGql, …), so field values have one source of truth. It mirrors graphql-js's
// execution rules (field collection with fragments and @skip/@include, argument coercion,
// __typename, leaf serialisation, non-null checks, abstract types via __typename, the
// simulator's "unknown field fails loudly" rule) and bulk.ts's JSONL flattening, and writes
// each JSONL line as text directly, without building the result tree.
// The graphql-js path stays the reference (BulkOptions.executor = "graphql-js"); bulk-executor
// tests compare both line for line.
import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  GraphQLBoolean,
  GraphQLError,
  GraphQLID,
  GraphQLIncludeDirective,
  GraphQLInt,
  GraphQLString,
  GraphQLSkipDirective,
  isAbstractType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  typeFromAST,
  TypeNameMetaFieldDef,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLAbstractType,
  type GraphQLField,
  type GraphQLLeafType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";
import type { ResolverContext } from "./context";
import type { PreparedOperation } from "./graphql";
import { asConnection, flattenNode, isPlainRecord, stripConnections } from "./jsonl";
import { queryRoot } from "./resolvers";
import { adminSchema } from "./schema";

/** Where lines go: `isChild` = the line has a `__parentId`. */
export type LineSink = (line: string, isChild: boolean) => void;

interface FieldPlan {
  /** Response key (alias or name). */
  key: string;
  /** `"key":` */
  prefix: string;
  name: string;
  parent: GraphQLObjectType;
  type: GraphQLOutputType;
  args: Record<string, unknown>;
  nodes: FieldNode[];
  typename: boolean;
  /** `type` without its non-null wrapper, and what it is (decided once: graphql-js's isXType checks are slow in development mode). */
  nonNull: boolean;
  inner: GraphQLOutputType;
  kind: "leaf" | "list" | "object";
  /** The field's type (non-null unwrapped) is a scalar or enum: its value can be a line's own id. */
  leaf: boolean;
  /** Sub-plans by runtime object type name (object and abstract field types). */
  subPlans: Map<string, ObjectPlan>;
  /** The only sub-plan when the field's type is an object type (no per-value lookup). */
  single: ObjectPlan | null;
}

interface ObjectPlan {
  type: GraphQLObjectType;
  fields: FieldPlan[];
  /** Every response key is edges / nodes / pageInfo (bulk.ts's asConnection test, static part). */
  connectionShaped: boolean;
  /** Connection-shaped, and `edges`/`nodes` (if selected) are the real list fields of objects. */
  standardConnection: boolean;
  edges: FieldPlan | null;
  nodes: FieldPlan | null;
  /** Compiled on first use (see FastBulkQuery.emitter). */
  emit: Emitter | null;
}

type Emitter = (source: unknown, children: Child[], isLine: boolean, tail: string) => string;

/** A nested connection's node, written after its parent's line. */
type Child = { source: unknown; plan: ObjectPlan } | { plain: Record<string, unknown> };

/** Raised while compiling: this document needs graphql-js (e.g. introspection fields). */
class NeedsGraphqlJs extends Error {}

const STRIPPED = Symbol("stripped");

/** graphql.ts's test for a view ("a field the view doesn't define is an error naming it"). */
function isView(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function kindOf(type: GraphQLOutputType): Pick<FieldPlan, "nonNull" | "inner" | "kind"> {
  const nonNull = isNonNullType(type);
  const inner = isNonNullType(type) ? type.ofType : type;
  return { nonNull, inner, kind: isLeafType(inner) ? "leaf" : isListType(inner) ? "list" : "object" };
}

function unsupported(f: FieldPlan): GraphQLError {
  return new GraphQLError(`Segmint simulator: field '${f.name}' on type '${f.parent.name}' is not implemented`, {
    extensions: { code: "SIMULATOR_UNSUPPORTED", typeName: f.parent.name, fieldName: f.name },
  });
}

function nonNullError(f: FieldPlan): GraphQLError {
  return new GraphQLError(`Cannot return null for non-nullable field ${f.parent.name}.${f.name}.`);
}

export class FastBulkQuery {
  private readonly schema: GraphQLSchema;
  private readonly fragments: Record<string, FragmentDefinitionNode> = {};
  private readonly root: ObjectPlan;
  /** The `id` of the line being written (its children's `__parentId`); set by generated emitters. */
  ownId: string | null = null;
  private readonly scratch: Child[] = [];

  /** null when the document needs graphql-js (the caller falls back to it). */
  static compile(op: PreparedOperation): FastBulkQuery | null {
    try {
      return new FastBulkQuery(op);
    } catch (error) {
      if (error instanceof NeedsGraphqlJs) return null;
      throw error;
    }
  }

  private constructor(private readonly op: PreparedOperation) {
    this.schema = adminSchema();
    if (op.operation.operation !== "query") throw new NeedsGraphqlJs("not a query");
    for (const def of op.document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) this.fragments[def.name.value] = def;
    const queryType = this.schema.getQueryType();
    if (!queryType) throw new NeedsGraphqlJs("no query type");
    this.root = this.objectPlan(queryType, [op.operation.selectionSet], true);
  }

  /**
   * Executes one window of the root connection(s) (ctx.bulkWindow) and writes its lines.
   * Returns the number of root objects written (bulk.ts stops when a window is short).
   */
  runWindow(ctx: ResolverContext, out: LineSink): number {
    const rootValue = queryRoot(ctx);
    let roots = 0;
    try {
      for (const f of this.root.fields) {
        const value = this.resolve(rootValue, f);
        const nodes = this.rootNodes(value, f);
        if (!nodes) continue;
        for (const node of nodes) {
          roots++;
          this.writeChild(node, null, out);
        }
      }
    } catch (error) {
      throw new Error(`bulk query failed in the simulator: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    return roots;
  }

  // ---- plans ------------------------------------------------------------------------------------

  private objectPlan(type: GraphQLObjectType, selectionSets: readonly SelectionSetNode[], isRoot = false): ObjectPlan {
    const collected = new Map<string, FieldNode[]>();
    const visited = new Set<string>();
    for (const set of selectionSets) this.collect(type, set, collected, visited);
    const fields: FieldPlan[] = [];
    for (const [key, nodes] of collected) {
      const first = nodes[0] as FieldNode;
      const name = first.name.value;
      let def: GraphQLField<unknown, unknown> | undefined;
      if (name === "__typename") def = TypeNameMetaFieldDef;
      else if (name.startsWith("__")) throw new NeedsGraphqlJs(name);
      else def = type.getFields()[name];
      if (!def) continue; // graphql-js skips fields it can't find (validation rules them out)
      if (isRoot && typeof def.resolve === "function") throw new NeedsGraphqlJs(name);
      fields.push({
        key,
        prefix: `${JSON.stringify(key)}:`,
        name,
        parent: type,
        type: def.type,
        args: name === "__typename" ? {} : getArgumentValues(def, first, this.op.variables),
        nodes,
        typename: name === "__typename",
        ...kindOf(def.type),
        leaf: isLeafType(isNonNullType(def.type) ? def.type.ofType : def.type),
        subPlans: new Map(),
        single: null,
      });
    }
    const connectionShaped = fields.every((f) => f.key === "edges" || f.key === "nodes" || f.key === "pageInfo");
    const edges = fields.find((f) => f.key === "edges") ?? null;
    const nodes = fields.find((f) => f.key === "nodes") ?? null;
    const isObjectList = (f: FieldPlan | null, name: string): boolean => {
      if (!f) return true;
      let t: GraphQLOutputType = f.type;
      if (isNonNullType(t)) t = t.ofType;
      if (f.name !== name || !isListType(t)) return false;
      let item: GraphQLOutputType = t.ofType;
      if (isNonNullType(item)) item = item.ofType;
      return isObjectType(item) || isAbstractType(item);
    };
    return { type, fields, connectionShaped, standardConnection: connectionShaped && isObjectList(edges, "edges") && isObjectList(nodes, "nodes"), edges, nodes, emit: null };
  }

  /** graphql-js's collectFields (v16): fields by response key, fragments once each. */
  private collect(type: GraphQLObjectType, set: SelectionSetNode, out: Map<string, FieldNode[]>, visited: Set<string>): void {
    for (const selection of set.selections) {
      switch (selection.kind) {
        case Kind.FIELD: {
          if (!this.included(selection)) continue;
          const key = selection.alias ? selection.alias.value : selection.name.value;
          const list = out.get(key);
          if (list) list.push(selection);
          else out.set(key, [selection]);
          break;
        }
        case Kind.INLINE_FRAGMENT:
          if (!this.included(selection) || !this.conditionMatches(selection.typeCondition?.name.value, type)) continue;
          this.collect(type, selection.selectionSet, out, visited);
          break;
        case Kind.FRAGMENT_SPREAD: {
          const name = selection.name.value;
          if (visited.has(name) || !this.included(selection)) continue;
          visited.add(name);
          const fragment = this.fragments[name];
          if (!fragment || !this.conditionMatches(fragment.typeCondition.name.value, type)) continue;
          this.collect(type, fragment.selectionSet, out, visited);
          break;
        }
      }
    }
  }

  private included(node: Parameters<typeof getDirectiveValues>[1]): boolean {
    const skip = getDirectiveValues(GraphQLSkipDirective, node, this.op.variables);
    if (skip?.if === true) return false;
    const include = getDirectiveValues(GraphQLIncludeDirective, node, this.op.variables);
    return include?.if !== false;
  }

  private conditionMatches(typeName: string | undefined, type: GraphQLObjectType): boolean {
    if (typeName === undefined) return true;
    const condition = typeFromAST(this.schema, { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: typeName } });
    if (condition === type) return true;
    return condition !== undefined && isAbstractType(condition) && this.schema.isSubType(condition, type);
  }

  /** The plan for `value` (an object of field `f`'s named type `type`). */
  private planFor(f: FieldPlan, type: GraphQLOutputType, value: unknown): ObjectPlan {
    if (f.single) return f.single;
    let runtime: GraphQLObjectType;
    if (isObjectType(type)) runtime = type;
    else {
      const abstract = type as GraphQLAbstractType;
      const name = isView(value) && typeof value.__typename === "string" ? value.__typename : undefined;
      const resolved = name === undefined ? undefined : this.schema.getType(name);
      if (!resolved || !isObjectType(resolved)) {
        throw new GraphQLError(`Abstract type "${abstract.name}" must resolve to an Object type at runtime for field "${f.parent.name}.${f.name}". Got: ${JSON.stringify(name)}.`);
      }
      if (!this.schema.isSubType(abstract, resolved)) throw new GraphQLError(`Runtime Object type "${resolved.name}" is not a possible type for "${abstract.name}".`);
      runtime = resolved;
    }
    let plan = f.subPlans.get(runtime.name);
    if (!plan) {
      plan = this.objectPlan(
        runtime,
        f.nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : [])),
      );
      f.subPlans.set(runtime.name, plan);
      if (isObjectType(getNamedType(f.type))) f.single = plan;
    }
    return plan;
  }

  // ---- execution ----------------------------------------------------------------------------------

  /** graphql.ts's fieldResolver: a view's value, or its function called with the field's args. */
  private resolve(source: unknown, f: FieldPlan): unknown {
    if (f.typename) return f.parent.name;
    if (!isView(source) || !(f.name in source)) throw unsupported(f);
    const value = source[f.name];
    const result = typeof value === "function" ? (value as (a: Record<string, unknown>) => unknown).call(source, f.args) : value;
    if (result instanceof Error) throw result;
    return result;
  }

  /** The nodes of a root field's value if it is a connection (like bulk.ts's asConnection on data). */
  private rootNodes(value: unknown, f: FieldPlan): Child[] | null {
    let type = f.type;
    if (isNonNullType(type)) {
      if (value == null) throw nonNullError(f);
      type = type.ofType;
    }
    if (value == null) return null;
    if (isListType(type) || isLeafType(type)) {
      const plain = this.plain(value, f.type, f);
      return asConnection(plain)?.map((node) => ({ plain: node })) ?? null;
    }
    const plan = this.planFor(f, type, value);
    return this.connectionChildren(value, plan);
  }

  /**
   * For a connection-shaped object: its nodes as children, or null if at run time it is not a
   * connection (no edges/nodes array). Other fields (pageInfo, cursor…) are still evaluated,
   * as graphql-js would (an unsupported field must fail loudly), then dropped.
   */
  private connectionChildren(value: unknown, plan: ObjectPlan): Child[] | null {
    if (!plan.connectionShaped) {
      this.plainObject(value, plan);
      return null;
    }
    if (!plan.standardConnection) {
      const plain = this.plainObject(value, plan);
      return asConnection(plain)?.map((node) => ({ plain: node })) ?? null;
    }
    let edges: Child[] | null = null;
    let nodes: Child[] | null = null;
    for (const f of plan.fields) {
      if (f === plan.edges) edges = this.listChildren(value, f, true);
      else if (f === plan.nodes) nodes = this.listChildren(value, f, false);
      else this.plain(this.resolve(value, f), f.type, f);
    }
    return edges ?? nodes;
  }

  /** `edges` (their `node`) or `nodes` of a connection: null if the list itself is null. */
  private listChildren(value: unknown, f: FieldPlan, viaEdges: boolean): Child[] | null {
    const list = this.resolve(value, f);
    let type = f.type;
    if (isNonNullType(type)) {
      if (list == null) throw nonNullError(f);
      type = type.ofType;
    }
    if (list == null) return null;
    if (!isListType(type)) throw new Error("unreachable: standard connection without a list");
    if (typeof list !== "object" || !(Symbol.iterator in list)) throw new GraphQLError(`Expected Iterable, but did not find one for field "${f.parent.name}.${f.name}".`);
    let itemType: GraphQLOutputType = type.ofType;
    const itemNonNull = isNonNullType(itemType);
    if (isNonNullType(itemType)) itemType = itemType.ofType;
    const children: Child[] = [];
    for (const item of list as Iterable<unknown>) {
      if (item instanceof Error) throw item;
      if (item == null) {
        if (itemNonNull) throw nonNullError(f);
        continue;
      }
      const plan = this.planFor(f, getNamedType(itemType), item);
      if (!viaEdges) {
        children.push({ source: item, plan });
        continue;
      }
      // An edge: its `node` (by response key) if that is an object; other keys evaluated, dropped.
      let child: Child | null = null;
      for (const ef of plan.fields) {
        if (ef.key !== "node") {
          this.plain(this.resolve(item, ef), ef.type, ef);
          continue;
        }
        const node = this.resolve(item, ef);
        if (node == null) {
          if (ef.nonNull) throw nonNullError(ef);
          continue;
        }
        if (ef.kind === "object") child = { source: node, plan: this.planFor(ef, ef.inner, node) };
        else {
          const plain = this.plain(node, ef.type, ef);
          if (isPlainRecord(plain)) child = { plain };
        }
      }
      if (child) children.push(child);
    }
    return children;
  }

  private writeChild(child: Child, parentId: string | null, out: LineSink, parentTail = parentId === null ? "" : `"__parentId":${JSON.stringify(parentId)}`): void {
    if ("plain" in child) {
      flattenNode(child.plain, parentId, out);
      return;
    }
    // Most lines have no children: collect into a reused array, copy only when there are some.
    const scratch = this.scratch;
    scratch.length = 0;
    this.ownId = null;
    const json = this.emitter(child.plan)(child.source, scratch, true, parentTail);
    out(json, parentId !== null);
    if (scratch.length === 0) return;
    const children = scratch.slice();
    const own = this.ownId;
    const next = own ?? parentId;
    const tail = own === null ? parentTail : `"__parentId":${JSON.stringify(own)}`;
    for (const c of children) this.writeChild(c, next, out, tail);
  }

  /**
   * An object's JSON without its connection-shaped fields (their nodes go to `children`), as
   * bulk.ts's stripConnections over the graphql-js result; `tail` (a line's `"__parentId":…`) is
   * appended last. A line's own `id` is left in `ownId`. Generated once per plan as straight-line
   * code (`new Function`): property reads with constant keys stay monomorphic, which is most of
   * the speed; every step mirrors the generic methods below (resolve, serialize, objectField).
   */
  private emitter(plan: ObjectPlan): Emitter {
    if (plan.emit) return plan.emit;
    const body: string[] = ['"use strict";', "return function emit(source, children, isLine, tail) {", 'const isObj = typeof source === "object" && source !== null;', 'let json = "{", first = true, v, s, r;'];
    const serializers: Array<(value: unknown) => unknown> = [];
    const subEmitters: Emitter[] = [];
    plan.fields.forEach((f, i) => {
      const name = JSON.stringify(f.name);
      if (f.typename) body.push(`v = F[${i}].parent.name;`);
      else {
        // graphql.ts's fieldResolver: a name the view lacks fails loudly (checked only when the read gives undefined).
        body.push(`if (!isObj) throw x.unsupportedField(F[${i}]);`);
        body.push(`v = source[${name}];`);
        body.push(`if (v === undefined && !(${name} in source)) throw x.unsupportedField(F[${i}]);`);
        body.push(`if (typeof v === "function") v = v.call(source, F[${i}].args);`);
        body.push(`if (v instanceof Error) throw v;`);
      }
      if (f.kind === "leaf") {
        const type = f.inner as GraphQLLeafType;
        serializers[i] = (value) => this.serialize(type, value, f);
        const fast =
          type === GraphQLString || type === GraphQLID
            ? `typeof v === "string" ? v : `
            : type === GraphQLInt
              ? `typeof v === "number" && (v | 0) === v ? v : `
              : type === GraphQLBoolean
                ? `typeof v === "boolean" ? v : `
                : "";
        body.push(`if (v == null) { ${f.nonNull ? `throw x.nonNullField(F[${i}]);` : ""} r = "null"; s = null; }`);
        body.push(`else { s = ${fast}S[${i}](v); r = typeof s === "object" && s !== null && !Array.isArray(s) ? x.plainFieldJson(s, children) : JSON.stringify(s); }`);
        if (f.key === "id") body.push(`if (isLine && r !== STRIPPED) x.ownId = typeof s === "string" ? s : null;`);
      } else if (f.kind === "list") {
        body.push(`r = JSON.stringify(x.plainValue(v, F[${i}].type, F[${i}]));`);
        if (f.key === "id") body.push(`if (isLine) x.ownId = null;`);
      } else if (isObjectType(f.inner) && !this.planFor(f, f.inner, undefined).connectionShaped) {
        // A plain nested object (money, product { id }…): its plan is known, call its emitter directly.
        const sub = this.planFor(f, f.inner, undefined);
        subEmitters[i] = (value, children, isLine, tail) => (sub.emit ?? this.emitter(sub))(value, children, isLine, tail);
        body.push(`if (v == null) { ${f.nonNull ? `throw x.nonNullField(F[${i}]);` : ""} r = "null"; } else r = E[${i}](v, children, false, "");`);
        if (f.key === "id") body.push(`if (isLine) x.ownId = null;`);
      } else {
        body.push(`r = x.objectField(v, F[${i}], children);`);
        if (f.key === "id") body.push(`if (isLine && r !== STRIPPED) x.ownId = null;`);
      }
      body.push(`if (r !== STRIPPED) { json += (first ? ${JSON.stringify(f.prefix)} : ${JSON.stringify("," + f.prefix)}) + r; first = false; }`);
    });
    body.push('if (tail) json += first ? tail : "," + tail;', 'return json + "}";', "};");
    const factory = new Function("x", "F", "S", "E", "STRIPPED", body.join("\n")) as (x: unknown, fields: FieldPlan[], serializers: unknown[], emitters: Emitter[], stripped: symbol) => Emitter;
    plan.emit = factory(this, plan.fields, serializers, subEmitters, STRIPPED);
    return plan.emit;
  }

  /** For generated emitters. */
  unsupportedField(f: FieldPlan): GraphQLError {
    return unsupported(f);
  }

  nonNullField(f: FieldPlan): GraphQLError {
    return nonNullError(f);
  }

  plainValue(value: unknown, type: GraphQLOutputType, f: FieldPlan): unknown {
    return this.plain(value, type, f);
  }

  /** An object-typed field's value in a line: stripped if it is a connection (nodes → children), else its JSON. */
  objectField(value: unknown, f: FieldPlan, children: Child[]): string | typeof STRIPPED {
    if (value == null) {
      if (f.nonNull) throw nonNullError(f);
      return "null";
    }
    const plan = this.planFor(f, f.inner, value);
    if (plan.connectionShaped) {
      if (!plan.standardConnection) return this.plainFieldJson(this.plainObject(value, plan), children);
      const nodes = this.connectionChildren(value, plan);
      if (nodes) {
        for (const node of nodes) children.push(node);
        return STRIPPED;
      }
    }
    return this.emitter(plan)(value, children, false, "");
  }

  /** stripConnections for one field whose completed value is the plain object `value`. */
  plainFieldJson(value: Record<string, unknown>, children: Child[]): string | typeof STRIPPED {
    const conn = asConnection(value);
    if (conn) {
      for (const node of conn) children.push({ plain: node });
      return STRIPPED;
    }
    const plainChildren: Array<Record<string, unknown>> = [];
    const stripped = stripConnections(value, plainChildren);
    for (const node of plainChildren) children.push({ plain: node });
    return JSON.stringify(stripped);
  }

  private serialize(type: GraphQLLeafType, value: unknown, f: FieldPlan): unknown {
    const serialized = type.serialize(value);
    if (serialized === undefined) throw new GraphQLError(`Expected \`${type.name}.serialize(${String(value)})\` to return non-nullish value, returned: undefined (${f.parent.name}.${f.name})`);
    return serialized;
  }

  /** The value graphql-js would put in `data` for this field (no flattening). */
  private plain(value: unknown, fieldType: GraphQLOutputType, f: FieldPlan): unknown {
    let type = fieldType;
    if (isNonNullType(type)) {
      if (value == null) throw nonNullError(f);
      type = type.ofType;
    }
    if (value == null) return null;
    if (value instanceof Error) throw value;
    if (isLeafType(type)) return this.serialize(type, value, f);
    if (isListType(type)) {
      if (typeof value !== "object" || !(Symbol.iterator in value)) throw new GraphQLError(`Expected Iterable, but did not find one for field "${f.parent.name}.${f.name}".`);
      const out: unknown[] = [];
      for (const item of value as Iterable<unknown>) out.push(this.plain(item, type.ofType, f));
      return out;
    }
    return this.plainObject(value, this.planFor(f, type, value));
  }

  private plainObject(value: unknown, plan: ObjectPlan): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of plan.fields) out[f.key] = this.plain(this.resolve(value, f), f.type, f);
    return out;
  }
}
