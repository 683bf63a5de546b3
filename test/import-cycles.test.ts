// No import cycle in the app or the command line (ADR 0012): every module can be understood,
// loaded and tested from its dependencies up.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { importCycles, sourceFiles } from "./support/source-imports";

describe("import cycles", () => {
  it("app/, cli/ and the entry points have none", () => {
    const files = [...sourceFiles("app"), ...sourceFiles("cli"), "server.ts", "worker.ts"];
    expect(files.length).toBeGreaterThan(100);
    expect(importCycles(files)).toEqual([]);
  });

  it("the check finds a cycle, including through an index file", () => {
    const dir = path.join("bench", "tmp", "cycle-probe");
    fs.mkdirSync(path.join(dir, "b"), { recursive: true });
    fs.writeFileSync(path.join(dir, "a.ts"), 'import { b } from "./b";\nexport const a = b;\n');
    fs.writeFileSync(path.join(dir, "b", "index.ts"), 'import type { c } from "../c";\nexport const b = 1 as c;\n');
    fs.writeFileSync(path.join(dir, "c.ts"), 'export { a } from "./a";\nexport type c = number;\n');
    fs.writeFileSync(path.join(dir, "d.ts"), 'import { a } from "./a";\nexport const d = a;\n');
    try {
      const files = ["a.ts", "b/index.ts", "c.ts", "d.ts"].map((f) => path.join(dir, f));
      expect(importCycles(files)).toEqual([[path.join(dir, "a.ts"), path.join(dir, "b/index.ts"), path.join(dir, "c.ts")]]);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });
});
