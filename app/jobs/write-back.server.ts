// The `write-back` job: advances one write-back (services/write-back.server.ts).
import { TerminalJobError } from "../queue/errors.server";
import { JOB } from "../queue/job-types";
import { defineJob } from "../queue/registry";

export const writeBackJob = defineJob(JOB.writeBack, async () => {
  throw new TerminalJobError("write-back: being built (issue 8)");
});
