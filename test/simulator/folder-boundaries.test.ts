// The simulator is development code outside test/ (docs/decisions/0009-simulator-folder.md): the
// shipped commands (the demo, the benchmarks) must not depend on test/, and production code must
// not depend on the simulator (the app reaches it only over HTTP, through the config-validated
// transport seam).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { relativeImports, sourceFiles } from "../support/source-imports";

function offenders(files: string[], forbidden: RegExp): string[] {
  return files.flatMap((f) => relativeImports(f).filter((target) => forbidden.test(target)).map((target) => `${f} → ${target}`));
}

describe("folder boundaries of the simulator", () => {
  it("the demo, the benchmarks, the scripts and the simulator import nothing from test/", () => {
    const files = [...sourceFiles("simulator"), ...sourceFiles("scripts"), ...sourceFiles("bench")];
    expect(files.length).toBeGreaterThan(30);
    expect(offenders(files, /^test\//)).toEqual([]);
  });

  it("production code (app/, cli/, the entry points) never imports the simulator or the dev scripts", () => {
    const files = [...sourceFiles("app"), ...sourceFiles("cli"), ...sourceFiles("bin"), ...fs.readdirSync(".").filter((f) => /\.(ts|js)$/.test(f) && !/config\.(ts|js)$/.test(f))];
    expect(files.length).toBeGreaterThan(30);
    expect(offenders(files, /^(simulator|scripts|bench|test)(\/|$)/)).toEqual([]);
  });

  it("the check can fail", () => {
    const probe = path.join("bench", "tmp", "boundary-probe.ts");
    fs.mkdirSync(path.dirname(probe), { recursive: true });
    fs.writeFileSync(probe, 'import { smallShop } from "../../test/simulator/fixtures";\n');
    try {
      expect(offenders([probe], /^test\//)).toEqual([`${probe} → test/simulator/fixtures`]);
    } finally {
      fs.rmSync(probe);
    }
  });
});
