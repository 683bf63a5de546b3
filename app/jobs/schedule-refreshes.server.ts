// The `schedule-refreshes` job (app-wide): fans out the weekly refresh, one job per due shop.
import { TerminalJobError } from "../queue/errors.server";
import { JOB } from "../queue/job-types";
import { defineJob } from "../queue/registry";

export const scheduleRefreshesJob = defineJob(JOB.scheduleRefreshes, async () => {
  throw new TerminalJobError("schedule-refreshes: being built (issue 8)");
});
