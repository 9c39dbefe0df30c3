/** `parley data validate`: every problem of the project at once, with file:line:column. */
import type { Command } from 'commander';
import { formatLocation, ParleyError } from '../../errors.js';
import type { ProjectIssue } from '../../shared/project.js';
import type { CliOutput } from '../output.js';
import { addProjectOptions, projectLoadOptions, type ProjectFlags } from './project-options.js';

interface ValidateFlags extends ProjectFlags {
  failOnWarnings?: boolean;
  maxHistory?: string;
}

export function registerData(program: Command, output: CliOutput): void {
  const data = program.command('data').description('Work with the project\'s training data.');
  addProjectOptions(data.command('validate'))
    .description('Check config, domain and training data; report every problem at once.')
    .option('--fail-on-warnings', 'exit with an error when there are warnings too')
    .option('--max-history <turns>', 'turns of history compared when looking for story structure conflicts (default: the whole story)')
    .action(async (flags: ValidateFlags) => {
      const maxHistory = parseMaxHistory(flags.maxHistory);
      // Loaded when the command runs, so that registering it costs nothing at start-up.
      const [{ loadProject, validateProject }, { storyConflictIssues }] = await Promise.all([
        import('../../project/index.js'),
        import('../../evaluation/story-structure.js'),
      ]);
      const { root, ...options } = projectLoadOptions(flags);
      const issues = await validateProject(root, options);
      let conflicts: ProjectIssue[] = [];
      // Conflicts need a readable project; with errors, those come first.
      if (!issues.some((issue) => issue.severity === 'error')) {
        const { project } = await loadProject(root, options);
        conflicts = storyConflictIssues(project, maxHistory);
      }
      for (const issue of [...issues, ...conflicts]) {
        const where = issue.file ? `${formatLocation({ file: issue.file, line: issue.line, column: issue.column })}: ` : '';
        const line = `${where}${issue.message}`;
        if (issue.severity === 'error') output.error(line);
        else output.warn(line);
      }
      const errors = issues.filter((issue) => issue.severity === 'error').length;
      const warnings = issues.length - errors + conflicts.length;
      if (conflicts.length > 0) {
        // As in Rasa, conflicting stories make validation fail even though each is only a warning.
        output.info(`Project validation found ${conflicts.length} story structure conflict(s), ${errors} error(s) and ${warnings} warning(s) in all.`);
        process.exitCode = 1;
      } else if (errors > 0 || (flags.failOnWarnings && warnings > 0)) {
        output.info(`Project validation completed with ${errors} error(s) and ${warnings} warning(s).`);
        process.exitCode = 1;
      } else {
        output.info(`Project validation completed: no errors, ${warnings} warning(s). No story structure conflicts found.`);
      }
    });
}

function parseMaxHistory(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new ParleyError('PARLEY_ERR_CLI_USAGE', `--max-history must be a whole number of at least 1, not '${raw}'.`);
  }
  return value;
}
