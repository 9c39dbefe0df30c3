/** `rasa data validate` for Parley: every load problem plus the consistency checks, never thrown. */
import type { ProjectIssue } from '../shared/project.js';
import { configDisplayPath, domainDisplayPath } from './discovery.js';
import { IssueCollector } from './issues.js';
import { readProject, type LoadProjectOptions } from './load-project.js';
import { runChecks } from './validator-checks.js';

/**
 * Validates the project at `root`: returns every error and warning (errors first), each with
 * file/line/column when known. Content problems never throw; the checks that need a loaded
 * project only run when the files themselves could be read without errors.
 */
export async function validateProject(root: string, options: LoadProjectOptions = {}): Promise<ProjectIssue[]> {
  const issues = new IssueCollector();
  const project = await readProject(root, options, issues);
  if (project && !issues.hasErrors) runChecks(project, { configFile: configDisplayPath(root, options), domainFile: (await domainDisplayPath(root, options)) ?? undefined }, issues);
  return issues.toIssues();
}
