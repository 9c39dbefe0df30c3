/** `parley data validate`: every problem of the project at once, with file:line:column. */
import type { Command } from 'commander';
import { validateProject } from '../../project/index.js';
import { formatLocation } from '../../errors.js';
import type { CliOutput } from '../output.js';
import { addProjectOptions, projectLoadOptions, type ProjectFlags } from './project-options.js';

interface ValidateFlags extends ProjectFlags {
  failOnWarnings?: boolean;
}

export function registerData(program: Command, output: CliOutput): void {
  const data = program.command('data').description('Work with the project\'s training data.');
  addProjectOptions(data.command('validate'))
    .description('Check config, domain and training data; report every problem at once.')
    .option('--fail-on-warnings', 'exit with an error when there are warnings too')
    .action(async (flags: ValidateFlags) => {
      const { root, ...options } = projectLoadOptions(flags);
      const issues = await validateProject(root, options);
      for (const issue of issues) {
        const where = issue.file ? `${formatLocation({ file: issue.file, line: issue.line, column: issue.column })}: ` : '';
        const line = `${where}${issue.message}`;
        if (issue.severity === 'error') output.error(line);
        else output.warn(line);
      }
      const errors = issues.filter((issue) => issue.severity === 'error').length;
      const warnings = issues.length - errors;
      if (errors > 0 || (flags.failOnWarnings && warnings > 0)) {
        output.info(`Project validation completed with ${errors} error(s) and ${warnings} warning(s).`);
        process.exitCode = 1;
      } else {
        output.info(`Project validation completed: no errors, ${warnings} warning(s).`);
      }
    });
}
