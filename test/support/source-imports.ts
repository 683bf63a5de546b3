// The import graph of the repository's own source, read as text (no bundler): what the
// architecture tests walk to prove folder boundaries and the absence of import cycles.
import fs from "node:fs";
import path from "node:path";

/** Source files below `dir` (repository-relative), skipping node_modules and tmp folders. */
export function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" || e.name === "tmp" ? [] : sourceFiles(p);
    return /\.(ts|tsx|js|mjs)$/.test(e.name) ? [p] : [];
  });
}

/** Repository-relative targets of a file's relative imports (static, dynamic, type-only and re-exports), as written. */
export function relativeImports(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1] as string);
  return specifiers.map((s) => path.relative(".", path.resolve(path.dirname(file), s)).split(path.sep).join("/"));
}

/** The file an import target names (`x` → `x.ts`, `x.tsx`, `x/index.ts`…), or null when it is not a source file. */
export function resolveSource(target: string): string | null {
  for (const candidate of [target, `${target}.ts`, `${target}.tsx`, `${target}/index.ts`, target.replace(/\.js$/, ".ts")]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** Strongly connected components of more than one file (and self-imports): each is an import cycle. */
export function importCycles(files: string[]): string[][] {
  const graph = new Map(files.map((f) => [f, relativeImports(f).map(resolveSource).filter((t): t is string => t !== null)]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const f of graph.keys()) if (!index.has(f)) visit(f);
  return cycles;
}
