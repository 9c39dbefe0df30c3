/** `parley train`: trains NLU and dialogue into `models/<name>.tar.gz`. */
import type { Command } from 'commander';
import type { CliOutput } from '../output.js';
import { addProjectOptions, projectLoadOptions, type ProjectFlags } from './project-options.js';

interface TrainFlags extends ProjectFlags {
  out: string;
  fixedModelName?: string;
  force?: boolean;
  skipValidation?: boolean;
}

export function registerTrain(program: Command, output: CliOutput): void {
  addProjectOptions(program.command('train'))
    .description('Train a model from the project\'s config, domain and data.')
    .option('--out <dir>', 'folder for the trained model', 'models')
    .option('--fixed-model-name <name>', 'file name of the model (without .tar.gz)')
    .option('--force', 'train even if nothing changed since the last model')
    .option('--skip-validation', 'skip the story and rule checks (YAML errors still stop training)')
    .action(async (flags: TrainFlags) => {
      // Loaded when the command runs, so that registering it costs nothing at start-up.
      const [{ trainProject }, { humanLogger }] = await Promise.all([import('../../train/train.js'), import('../human-logger.js')]);
      const result = await trainProject({
        ...projectLoadOptions(flags),
        out: flags.out,
        fixedModelName: flags.fixedModelName,
        force: flags.force,
        skipValidation: flags.skipValidation,
        logger: humanLogger(output),
        onProgress: (event) => output.progress(event),
      });
      output.info(result.reused ? `Model is up to date: ${result.modelPath}` : `Trained model: ${result.modelPath}`);
    });
}
