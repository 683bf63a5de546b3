// CONTRACT STUB — replaced by its owner (see /tmp/issue11-spec.md).
import { TerminalJobError } from "../queue/errors.server";
import { JOB } from "../queue/job-types";
import { defineJob } from "../queue/registry";

export const detectAnomaliesJob = defineJob(JOB.detectAnomalies, async () => {
  throw new TerminalJobError("not implemented");
});
