// Shopify's search syntax for the `query:` argument of connections
// (https://shopify.dev/docs/api/usage/search-syntax): `field:value`, comparators `:>`, `:>=`,
// `:<`, `:<=`, quoted values, implicit AND, `AND`/`OR`, `-`/`NOT` negation, parentheses.
// Like Shopify, a query naming a field the resource does not support is IGNORED (all records
// match) and a warning is recorded: that is the real API's most dangerous gotcha, so the
// simulator reproduces it instead of hiding it.

export type FieldKind = "date" | "number" | "string" | "tags" | "boolean" | "id";

export interface SearchField<T> {
  kind: FieldKind;
  get(item: T): string | number | boolean | readonly string[] | null;
}

export type SearchFields<T> = Record<string, SearchField<T>>;

type Comparator = ":" | ":>" | ":>=" | ":<" | ":<=";

type Node =
  | { type: "term"; field: string | null; comparator: Comparator; value: string }
  | { type: "and" | "or"; children: Node[] }
  | { type: "not"; child: Node };

export interface CompiledSearch<T> {
  matches(item: T): boolean;
  /** Unknown fields: the whole query was ignored, as Shopify does. */
  warnings: string[];
  ignored: boolean;
}

export function compileSearch<T>(query: string | null | undefined, fields: SearchFields<T>, defaultText?: (item: T) => string): CompiledSearch<T> {
  if (!query || !query.trim()) return { matches: () => true, warnings: [], ignored: false };
  const ast = parse(tokenize(query));
  const warnings: string[] = [];
  collectUnknown(ast, fields, warnings);
  if (warnings.length > 0) return { matches: () => true, warnings, ignored: true };
  return { matches: (item) => evaluate(ast, item, fields, defaultText), warnings, ignored: false };
}

function collectUnknown<T>(node: Node, fields: SearchFields<T>, out: string[]): void {
  if (node.type === "term") {
    if (node.field !== null && !(node.field in fields)) out.push(`Invalid search field for this query: '${node.field}'.`);
  } else if (node.type === "not") collectUnknown(node.child, fields, out);
  else for (const child of node.children) collectUnknown(child, fields, out);
}

// ---- tokenizer / parser ------------------------------------------------------------------------

type Token = { kind: "lparen" } | { kind: "rparen" } | { kind: "word"; text: string; quoted: boolean } | { kind: "neg" };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "(") {
      tokens.push({ kind: "lparen" });
      i++;
      continue;
    }
    if (ch === ")") {
      tokens.push({ kind: "rparen" });
      i++;
      continue;
    }
    if (ch === "-" && i + 1 < input.length && /[A-Za-z_]/.test(input[i + 1] as string)) {
      tokens.push({ kind: "neg" });
      i++;
      continue;
    }
    // A word runs until whitespace or a paren, but quoted sections may contain both.
    let text = "";
    let quoted = false;
    while (i < input.length) {
      const c = input[i] as string;
      if (c === "'" || c === '"') {
        const close = input.indexOf(c, i + 1);
        const end = close === -1 ? input.length : close;
        // Only a token that *starts* quoted is a phrase; field:'value' stays a field term.
        if (text === "") quoted = true;
        text += input.slice(i + 1, end);
        i = end + 1;
        continue;
      }
      if (/\s/.test(c) || c === "(" || c === ")") break;
      text += c;
      i++;
    }
    tokens.push({ kind: "word", text, quoted });
  }
  return tokens;
}

function parse(tokens: Token[]): Node {
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isKeyword = (t: Token | undefined, word: string): boolean => t?.kind === "word" && !t.quoted && t.text === word;

  function parseOr(): Node {
    const children = [parseAnd()];
    while (isKeyword(peek(), "OR")) {
      pos++;
      children.push(parseAnd());
    }
    return children.length === 1 ? (children[0] as Node) : { type: "or", children };
  }
  function parseAnd(): Node {
    const children: Node[] = [];
    for (;;) {
      const t = peek();
      if (!t || t.kind === "rparen" || isKeyword(t, "OR")) break;
      if (isKeyword(t, "AND")) {
        pos++;
        continue;
      }
      children.push(parseUnary());
    }
    if (children.length === 0) return { type: "and", children: [] };
    return children.length === 1 ? (children[0] as Node) : { type: "and", children };
  }
  function parseUnary(): Node {
    const t = peek();
    if (t?.kind === "neg" || isKeyword(t, "NOT")) {
      pos++;
      return { type: "not", child: parseUnary() };
    }
    if (t?.kind === "lparen") {
      pos++;
      const inner = parseOr();
      if (peek()?.kind === "rparen") pos++;
      return inner;
    }
    pos++;
    return termFromWord(t?.kind === "word" ? t : { text: "", quoted: false });
  }
  return parseOr();
}

function termFromWord(token: { text: string; quoted: boolean }): Node {
  const match = token.quoted ? null : /^([A-Za-z_][A-Za-z0-9_.]*)(:>=|:<=|:>|:<|:)(.*)$/.exec(token.text);
  if (!match) return { type: "term", field: null, comparator: ":", value: token.text };
  return { type: "term", field: (match[1] as string).toLowerCase(), comparator: match[2] as Comparator, value: match[3] as string };
}

// ---- evaluation --------------------------------------------------------------------------------

function evaluate<T>(node: Node, item: T, fields: SearchFields<T>, defaultText?: (item: T) => string): boolean {
  switch (node.type) {
    case "and":
      return node.children.every((c) => evaluate(c, item, fields, defaultText));
    case "or":
      return node.children.some((c) => evaluate(c, item, fields, defaultText));
    case "not":
      return !evaluate(node.child, item, fields, defaultText);
    case "term": {
      if (node.field === null) {
        if (!node.value) return true;
        return defaultText ? defaultText(item).toLowerCase().includes(node.value.toLowerCase()) : true;
      }
      const field = fields[node.field] as SearchField<T>;
      return matchTerm(field, field.get(item), node.comparator, node.value);
    }
  }
}

function matchTerm<T>(field: SearchField<T>, actual: ReturnType<SearchField<T>["get"]>, comparator: Comparator, raw: string): boolean {
  if (raw === "*") return actual !== null && actual !== "";
  switch (field.kind) {
    case "tags": {
      const tags = (Array.isArray(actual) ? actual : []) as readonly string[];
      return tags.some((t) => t.toLowerCase() === raw.toLowerCase());
    }
    case "string":
      return typeof actual === "string" && compareValues(actual.toLowerCase(), raw.toLowerCase(), comparator);
    case "boolean":
      return String(actual) === raw.toLowerCase();
    case "number":
    case "id": {
      const wanted = field.kind === "id" ? idNumber(raw) : Number(raw);
      return typeof actual === "number" && Number.isFinite(wanted) && compareValues(actual, wanted, comparator);
    }
    case "date": {
      if (typeof actual !== "number") return false;
      const range = dateRange(raw);
      if (!range) return false;
      switch (comparator) {
        case ":":
          return actual >= range.start && actual < range.end;
        case ":>":
          return actual >= range.end || (range.exact && actual > range.start);
        case ":>=":
          return actual >= range.start;
        case ":<":
          return actual < range.start;
        case ":<=":
          return actual < range.end || (range.exact && actual <= range.start);
      }
    }
  }
  return false;
}

function compareValues<V extends string | number>(actual: V, wanted: V, comparator: Comparator): boolean {
  switch (comparator) {
    case ":":
      return actual === wanted;
    case ":>":
      return actual > wanted;
    case ":>=":
      return actual >= wanted;
    case ":<":
      return actual < wanted;
    case ":<=":
      return actual <= wanted;
  }
}

function idNumber(raw: string): number {
  const gidMatch = /(\d+)$/.exec(raw);
  return gidMatch ? Number(gidMatch[1]) : Number.NaN;
}

/**
 * A date-only value means the whole day (interpreted in UTC; Shopify uses the shop's zone, see
 * docs/simulator.md), a timestamp means that instant. `now`, `-7d` style relative values are not
 * supported by Shopify's search syntax either (they belong to segment queries).
 */
function dateRange(raw: string): { start: number; end: number; exact: boolean } | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) {
    const start = Date.parse(`${raw}T00:00:00Z`);
    return Number.isNaN(start) ? null : { start, end: start + 86_400_000, exact: false };
  }
  const at = Date.parse(raw);
  return Number.isNaN(at) ? null : { start: at, end: at + 1, exact: true };
}
