import type { RowProblem } from "./csv/transactions";

/**
 * Rows a verb could not use (segment, anomalies): the first `maxErrors` listed on stderr as
 * `segmint: FILE:LINE: skipped row: REASON`, every one counted by reason for the closing line.
 */
export class SkippedRows {
  readonly byReason = new Map<string, number>();
  total = 0;
  private listed = 0;

  constructor(
    private readonly file: string,
    private readonly maxErrors: number,
    private readonly stderr: NodeJS.WriteStream,
  ) {}

  add(problem: RowProblem): void {
    this.total++;
    this.byReason.set(problem.reason, (this.byReason.get(problem.reason) ?? 0) + 1);
    if (this.listed < this.maxErrors) {
      this.stderr.write(`segmint: ${this.file}:${problem.line}: skipped row: ${problem.reason}\n`);
      this.listed++;
    }
  }

  /** The closing line on stderr ("segmint: skipped 5 malformed rows: 2 missing date, …"), when any row was skipped. */
  summarize(): void {
    if (this.total === 0) return;
    const reasons = [...this.byReason.entries()].sort((a, b) => b[1] - a[1]).map(([r, c]) => `${c.toLocaleString("en-US")} ${r}`).join(", ");
    this.stderr.write(`segmint: skipped ${this.total.toLocaleString("en-US")} malformed rows: ${reasons}\n`);
  }
}
