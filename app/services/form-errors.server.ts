// One field → one message: how every admin action turns a zod failure into the errors it shows
// next to the form's fields (Polaris `error`).
import type { z } from "zod";

export type FieldErrors<K extends string> = Partial<Record<K, string>>;

/** The first message zod gives for each top-level field. */
export function fieldErrorsOf<K extends string>(error: z.ZodError): FieldErrors<K> {
  const errors: Partial<Record<string, string>> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return errors as FieldErrors<K>;
}
