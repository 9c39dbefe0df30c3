/**
 * Story-structure conflicts as validation warnings for `parley data validate`: two stories that
 * share a dialogue history but continue with different actions. Policies cannot learn both, so
 * one of the stories will not be followed.
 */
import type { Project, ProjectIssue } from '../shared/project.js';
import { storyConflicts } from '../core/policies/index.js';

/** Warning code of a story-structure conflict. */
export const STORY_CONFLICT_CODE = 'PARLEY_WARN_STORY_CONFLICT';

/**
 * One warning per conflict, located at the first story involved, naming every story with its
 * file:line. `maxHistory` null compares whole histories (Rasa's default for `data validate`).
 */
export function storyConflictIssues(project: Project, maxHistory: number | null = null): ProjectIssue[] {
  const conflicts = storyConflicts({ domain: project.domain, stories: project.training.stories }, { maxHistory });
  return conflicts.map((conflict) => {
    const after = conflict.after ? ` after ${conflict.after.type} '${conflict.after.name}'` : '';
    const lines = conflict.actions.map(({ action, stories }) => {
      const named = stories.map((story) => `'${story.name}'${story.source ? ` (${story.source.file}:${story.source.line})` : ''}`);
      return `  '${action}' is predicted in ${named.join(', ')}`;
    });
    const first = conflict.actions.flatMap((entry) => entry.stories).find((story) => story.source)?.source;
    const issue: ProjectIssue = {
      severity: 'warning',
      code: STORY_CONFLICT_CODE,
      message:
        `Story structure conflict${after}: the same conversation so far continues differently in different stories:\n${lines.join('\n')}\n` +
        '  The policies can learn only one of these continuations. Make the stories differ earlier (for example with a slot), or remove one of them.',
    };
    if (first) Object.assign(issue, { file: first.file, line: first.line, column: first.column });
    return issue;
  });
}
