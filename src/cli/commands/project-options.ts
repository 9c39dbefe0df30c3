/** Flags shared by the commands that read a project (`--project`, `--config`, `--domain`, `--data`). */
import { resolve } from 'node:path';
import type { Command } from 'commander';

export interface ProjectFlags {
  project: string;
  config?: string;
  domain?: string;
  data?: string[];
}

export function addProjectOptions(command: Command): Command {
  return command
    .option('--project <dir>', 'project folder (Parley extension; default: the current directory)', '.')
    .option('-c, --config <path>', 'model configuration file (default: config.yml)')
    .option('-d, --domain <path>', 'domain file or folder (default: domain.yml or domain/)')
    .option('--data <paths...>', 'training data files or folders (default: data/)');
}

/** Paths given on the command line are relative to the working directory, as in Rasa. */
export function projectLoadOptions(flags: ProjectFlags) {
  return {
    root: resolve(flags.project),
    config: flags.config ? resolve(flags.config) : undefined,
    domain: flags.domain ? resolve(flags.domain) : undefined,
    data: flags.data?.map((path) => resolve(path)),
  };
}
