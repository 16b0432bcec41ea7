// nabla dashboard [DIR]: a page on 127.0.0.1 that lists the runs under DIR and shows the chosen ones' curves
// as they train, their options, pictures and summary; read-only, until Ctrl-C.
import type { Command } from 'commander';
import { startDashboard } from '../dashboard/server.js';
import { parsers } from '../recipes/options.js';

/** Adds `nabla dashboard`. */
export function registerDashboard(program: Command): void {
  program
    .command('dashboard')
    .description('serve a live page of the runs under DIR (default runs/) on 127.0.0.1, read-only, until Ctrl-C')
    .argument('[dir]', 'the folder that holds the run folders', 'runs')
    .option('--port <n>', 'the port (default: 6006, or a free one when 6006 is taken)')
    .action(async (dir: string, options: { port?: string }) => {
      const port = options.port === undefined ? undefined : parsers.nonNegativeInt(options.port, '--port');
      const dashboard = await startDashboard({ dir, port });
      console.log(`nabla dashboard: the runs under ${dir} at ${dashboard.url} (Ctrl-C stops)`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void dashboard.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
