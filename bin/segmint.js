#!/usr/bin/env node
// Entry of the `segmint` bin: registers tsx so the TypeScript CLI runs without a build step.
// Works as `npx segmint …` and `npm run segmint -- …` from the repository after `npm install`.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
