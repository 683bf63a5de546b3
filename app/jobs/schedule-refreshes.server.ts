// The `schedule-refreshes` job (app-wide, hourly): books the next hour's pass, then fans out the
// weekly refresh, one `refresh-segments` job per shop whose slot has come (services/refresh-schedule).
import { logger } from "../logger.server";
import { enqueueDueRefreshes } from "../services/refresh-schedule.server";
import { TerminalJobError } from "../queue/errors.server";
import { JOB } from "../queue/job-types";
import { defineJob } from "../queue/registry";
import { nextFullHour } from "../queue/schedule";
import { bookScheduleRefreshes } from "../queue/start.server";

export const scheduleRefreshesJob = defineJob(JOB.scheduleRefreshes, async (_payload, { db, job }) => {
  if (job.shopId !== null) throw new TerminalJobError("schedule-refreshes is app-wide (no shop)");
  const now = new Date();
  // Booked first: a pass that fails, or whose process dies, still leaves the next one queued.
  await bookScheduleRefreshes(db, nextFullHour(now));
  const pass = await enqueueDueRefreshes(db, now);
  if (pass.due + pass.booked > 0) logger("schedule").info(pass, "weekly refreshes");
});
