// A reader that stops early (`nabla predict ... | head -1`) closes the pipe; the next write then fails
// with EPIPE. That is the reader's choice, not an error of ours: exit quietly, as Unix tools do.

/**
 * Exits with status 0 once `stream` reports a closed pipe; any other stream error is thrown as before.
 * @example exitWhenOutputCloses(process.stdout);
 */
export function exitWhenOutputCloses(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}
