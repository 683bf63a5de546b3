// Job handlers for test/ops/job-thread.test.ts, loaded by the job thread (startJobThread's
// `handlers`): what the app's handlers do at worst, on demand.
//   reconcile         — CPU-bound: spins without ever yielding until the file SEGMINT_TEST_RELEASE_FILE
//                       exists (which the test writes from the request thread), at most 60 s.
//   detect-anomalies  — the first run (no SEGMINT_TEST_CRASH_FILE yet) writes that file and throws
//                       from a timer, outside any promise: the thread dies of it; the next run succeeds.
import fs from "node:fs";
import { JOB } from "../../../app/queue/job-types";
import { defineJob, jobRegistry } from "../../../app/queue/registry";

const fileFrom = (name: string) => {
  const file = process.env[name];
  if (!file) throw new Error(`${name} is not set`);
  return file;
};

export const threadTestJobs = jobRegistry([
  defineJob(JOB.reconcile, async () => {
    const release = fileFrom("SEGMINT_TEST_RELEASE_FILE");
    const end = Date.now() + 60_000;
    while (!fs.existsSync(release)) {
      if (Date.now() > end) throw new Error("never released");
    }
  }),
  defineJob(JOB.detectAnomalies, async () => {
    const crashed = fileFrom("SEGMINT_TEST_CRASH_FILE");
    if (fs.existsSync(crashed)) return;
    fs.writeFileSync(crashed, "crashed once");
    await new Promise<void>(() => {
      setTimeout(() => {
        throw new Error("uncaught in a job handler");
      }, 10);
    });
  }),
]);
