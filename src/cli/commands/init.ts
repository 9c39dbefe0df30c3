/** `parley init`: writes the starter bot into a folder and trains it. */
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { ParleyError } from '../../errors.js';
import type { CliOutput } from '../output.js';
import { packagePath } from '../../package-root.js';

/** The bundled example bot; the same path from src/ (tests) and dist/ (installed). */
export const STARTER_PROJECT = packagePath('examples', 'starter');

interface InitFlags {
  initDir: string;
  train: boolean;
  prompt: boolean;
}

export function registerInit(program: Command, output: CliOutput): void {
  program
    .command('init')
    .description('Create a new project from the starter bot (and train it).')
    .option('--init-dir <dir>', 'folder to create the project in', '.')
    .option('--no-train', 'only write the files')
    .option('--no-prompt', 'accepted for compatibility with `rasa init`; Parley never prompts')
    .action(async (flags: InitFlags) => {
      const target = resolve(flags.initDir);
      writeStarterProject(target);
      output.info(`Created a Parley project in ${target}`);
      if (!flags.train) return;
      const [{ trainProject }, { humanLogger }] = await Promise.all([import('../../train/train.js'), import('../human-logger.js')]);
      const result = await trainProject({
        root: target,
        logger: humanLogger(output),
        onProgress: (event) => output.progress(event),
      });
      output.info(`Trained model: ${result.modelPath}\nStart it with: cd ${target} && parley run`);
    });
}

export function writeStarterProject(target: string): void {
  for (const name of ['config.yml', 'domain.yml', 'data']) {
    if (existsSync(join(target, name))) {
      throw new ParleyError(
        'PARLEY_ERR_CLI_USAGE',
        `'${join(target, name)}' already exists. \`parley init\` only writes into a folder without a project; ` +
          'choose another folder with --init-dir.',
      );
    }
  }
  mkdirSync(target, { recursive: true });
  for (const entry of readdirSync(STARTER_PROJECT)) {
    if (entry === 'models') continue;
    cpSync(join(STARTER_PROJECT, entry), join(target, entry), { recursive: true });
  }
}
