/**
 * Progress on stderr: a redrawn bar when stderr is a TTY, otherwise one plain line every
 * `plainEveryMs` (10 s), so short runs and test logs stay clean.
 */
export interface Progress {
  update(rows: number): void;
  done(): void;
}

export function createProgress(stream: NodeJS.WriteStream, state: { bytesRead: number; totalBytes: number }, quiet: boolean, plainEveryMs = 10_000): Progress {
  if (quiet) return { update() {}, done() {} };
  const tty = stream.isTTY === true;
  const start = Date.now();
  let last = start;
  let drawn = false;
  const fraction = (): number => (state.totalBytes > 0 ? Math.min(1, state.bytesRead / state.totalBytes) : 0);
  return {
    update(rows: number) {
      const now = Date.now();
      if (tty) {
        if (now - last < 200 || now - start < 500) return;
        last = now;
        const f = fraction();
        const width = 30;
        const filled = Math.round(f * width);
        stream.write(`\r[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${(f * 100).toFixed(0).padStart(3)}%  ${rows.toLocaleString("en-US")} rows  ${((now - start) / 1000).toFixed(1)} s`);
        drawn = true;
      } else if (now - last >= plainEveryMs) {
        last = now;
        stream.write(`segmint: read ${rows} rows (${(fraction() * 100).toFixed(0)}% of the file) in ${((now - start) / 1000).toFixed(0)} s\n`);
      }
    },
    done() {
      if (drawn) stream.write("\r\x1b[K");
    },
  };
}
