/**
 * `parley export`: write the corrections saved in review as training data
 * (`data/review_nlu.yml`, `data/review_stories.yml`), without a running server. The corrected
 * conversations are read from the tracker store endpoints.yml names, as `parley run` does.
 */
import { rm, mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliOutput } from '../output.js';

interface ExportFlags {
  project: string;
  out?: string;
  endpoints?: string;
}

export function registerExport(program: Command, output: CliOutput): void {
  program
    .command('export')
    .description('Write the corrections saved in review as NLU and story training data (review_nlu.yml, review_stories.yml).')
    .option('--project <dir>', 'project folder (default: the current directory)', '.')
    .option('--out <dir>', 'folder to write the files to (default: <project>/data)')
    .option('--endpoints <path>', 'endpoints configuration file naming the tracker store (default: endpoints.yml)')
    .action(async (flags: ExportFlags) => {
      const root = resolve(flags.project);
      const out = flags.out ? resolve(flags.out) : join(root, 'data');
      const [{ loadEndpoints }, { createTrackerStore }, { silentLogger }, review, { EXPORT_FILES, exportCorrections }] = await Promise.all([
        import('../../project/index.js'),
        import('../../stores/tracker-store-registry.js'),
        import('../../logger.js'),
        import('../../review/review-db.js'),
        import('../../review/review-export.js'),
      ]);
      const endpointsFile = flags.endpoints ? resolve(flags.endpoints) : join(root, 'endpoints.yml');
      const endpoints = await loadEndpoints(endpointsFile);
      const database = review.openReviewDatabase(review.reviewDatabasePath(root));
      const trackerStore = await createTrackerStore(endpoints?.tracker_store, { projectRoot: root, logger: silentLogger(), endpointsFile });
      try {
        const corrections = database.corrections.list();
        if (corrections.length === 0) {
          output.info('No corrections are saved yet: open /review on a running server (parley run --share) and correct some messages first.');
          return;
        }
        const result = await exportCorrections(corrections, trackerStore);
        await mkdir(out, { recursive: true });
        for (const kind of ['nlu', 'stories'] as const) {
          const file = join(out, EXPORT_FILES[kind]);
          const hasContent = kind === 'nlu' ? /^nlu:\s*\n-/m.test(result.nlu) : /^stories:\s*\n-/m.test(result.stories);
          if (hasContent) {
            await writeFile(file, result[kind], 'utf8');
            output.info(`Wrote ${relative(process.cwd(), file) || file}.`);
          } else {
            // An earlier export's file would still be trained on; nothing of it is current any more.
            await rm(file, { force: true });
          }
        }
        for (const reason of result.skipped) output.warn(`Not exported: ${reason}.`);
        output.info(`Exported ${corrections.length} correction${corrections.length === 1 ? '' : 's'}; run \`parley train\` to learn from them.`);
      } finally {
        database.close();
        await trackerStore.close();
      }
    });
}
