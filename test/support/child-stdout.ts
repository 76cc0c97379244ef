import { writeSync } from 'node:fs';

/**
 * One line to the parent on stdout, returning only once the whole line is
 * in the pipe: what a child process reports (a write it committed) must be
 * readable by the parent even if the child is killed the instant after.
 * stdout is a non-blocking socket here, so a full buffer (the parent busy
 * for a moment) gives EAGAIN: retry until the whole line is in it.
 */
export function say(line: string): void {
  const bytes = Buffer.from(`${line}\n`);
  let written = 0;
  while (written < bytes.length) {
    try {
      written += writeSync(1, bytes, written);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}
