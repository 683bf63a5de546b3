/** Input an experiment's statistics cannot use; the message says what to fix, in plain words. */
export class ExperimentInputError extends Error {
  override readonly name = "ExperimentInputError";
}
