/** `parley train`: trains NLU and dialogue into `models/<name>.tar.gz`; `parley train nlu` trains NLU alone. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliOutput } from '../output.js';
import { addProjectOptions, projectLoadOptions, type ProjectFlags } from './project-options.js';

interface TrainFlags extends ProjectFlags {
  out: string;
  fixedModelName?: string;
  force?: boolean;
  skipValidation?: boolean;
}

interface TrainNluFlags {
  project: string;
  config?: string;
  domain?: string;
  nlu?: string[];
  out: string;
  fixedModelName?: string;
}

export function registerTrain(program: Command, output: CliOutput): void {
  const train = addProjectOptions(program.command('train'))
    .description('Train a model from the project\'s config, domain and data.')
    .option('--out <dir>', 'folder for the trained model', 'models')
    .option('--fixed-model-name <name>', 'file name of the model (without .tar.gz)')
    .option('--force', 'train even if nothing changed since the last model')
    .option('--skip-validation', 'skip the story and rule checks (YAML errors still stop training)')
    // Flags after `nlu` belong to `train nlu`.
    .enablePositionalOptions()
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
  train
    .command('nlu')
    .description('Train only the NLU pipeline (a model without dialogue policies, for `parley shell nlu`, `parley test nlu` and /model/parse).')
    .option('--project <dir>', 'project folder (Parley extension; default: the current directory)', '.')
    .option('-c, --config <path>', 'model configuration file (default: config.yml)')
    .option('-u, --nlu <paths...>', 'NLU data files or folders (default: data/)')
    .option('-d, --domain <path>', 'domain file or folder (optional; default: domain.yml if present)')
    .option('--out <dir>', 'folder for the trained model', 'models')
    .option('--fixed-model-name <name>', 'file name of the model (without .tar.gz; default: nlu-<timestamp>-<words>)')
    .action(async (flags: TrainNluFlags) => {
      const [{ trainNluProject }, { humanLogger }] = await Promise.all([import('../../train/train-nlu.js'), import('../human-logger.js')]);
      const root = resolve(flags.project);
      const result = await trainNluProject({
        root,
        // Paths on the command line are relative to the working directory, as in Rasa.
        config: flags.config ? resolve(flags.config) : undefined,
        domain: flags.domain ? resolve(flags.domain) : undefined,
        nlu: flags.nlu?.map((path) => resolve(path)),
        out: resolve(root, flags.out),
        fixedModelName: flags.fixedModelName,
        logger: humanLogger(output),
        onProgress: (event) => output.progress(event),
      });
      output.info(`Trained NLU model: ${result.modelPath}`);
    });
}
