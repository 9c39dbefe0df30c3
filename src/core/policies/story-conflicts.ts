/**
 * Story structure conflicts (project-format §9.3): the same dialogue history (the newest
 * `max_history` states) followed by different actions in different stories. Most policies cannot
 * learn such data, so `parley data validate` reports it.
 */
import type { Logger } from '../../logger.js';
import type { Domain, SourceRef } from '../../shared/domain.js';
import type { Story } from '../../shared/training-data.js';
import { generateTrainingTrackers } from '../training/tracker-generator.js';
import { trackerLocation } from '../training/training-tracker.js';
import { stateKey } from './state-key.js';
import { ACTION_LISTEN, StateBuilder, type DialogueState } from './states.js';
import { historyBefore, trackerExamples } from './training-examples.js';

export interface StoryConflict {
  /** What the conflicting histories end with. */
  after: { type: 'intent' | 'action' | 'bot utterance' | 'user utterance'; name: string } | null;
  /** Each action that follows the shared history, with the stories predicting it. */
  actions: Array<{ action: string; stories: Array<{ name: string; source?: SourceRef }> }>;
  /** Rasa's report text (`Story structure conflict after intent 'x':` + one line per action). */
  message: string;
}

/**
 * Finds story conflicts. `maxHistory` null compares whole histories.
 * @example storyConflicts({ domain, stories }, { maxHistory: 5 })
 */
export function storyConflicts(
  input: { domain: Domain; stories: readonly Story[] },
  options: { maxHistory?: number | null; logger?: Logger } = {},
): StoryConflict[] {
  const maxHistory = options.maxHistory ?? null;
  const builder = new StateBuilder(input.domain);
  const { stories } = generateTrainingTrackers({ domain: input.domain, stories: input.stories, rules: [] }, { logger: options.logger });
  type StoryRef = { name: string; source?: SourceRef };
  const byHistory = new Map<string, { last: DialogueState | undefined; actions: Map<string, StoryRef[]> }>();
  for (const tracker of stories) {
    const examples = trackerExamples(tracker, builder);
    for (const label of examples.labels) {
      const states = historyBefore(examples, label, maxHistory);
      const key = stateKey(states);
      const entry = byHistory.get(key) ?? { last: states[states.length - 1], actions: new Map<string, StoryRef[]>() };
      const list = entry.actions.get(label.action) ?? [];
      if (!list.some((story) => story.name === tracker.name)) list.push({ name: tracker.name, source: trackerLocation(tracker) });
      entry.actions.set(label.action, list);
      byHistory.set(key, entry);
    }
  }
  const conflicts: StoryConflict[] = [];
  for (const entry of byHistory.values()) {
    if (entry.actions.size < 2) continue;
    const after = previousEvent(entry.last);
    // A story that opens with an action has nothing before it to conflict over.
    if (after === null) continue;
    const actions = [...entry.actions].map(([action, storyList]) => ({ action, stories: storyList }));
    conflicts.push({ after, actions, message: conflictMessage(after, actions) });
  }
  return conflicts;
}

function previousEvent(state: DialogueState | undefined): StoryConflict['after'] {
  if (!state) return null;
  const action = state.prev_action;
  if (action && 'action_name' in action && action.action_name !== ACTION_LISTEN) return { type: 'action', name: action.action_name };
  if (action && 'action_text' in action) return { type: 'bot utterance', name: action.action_text };
  if (state.user?.intent) return { type: 'intent', name: state.user.intent };
  if (state.user?.text) return { type: 'user utterance', name: state.user.text };
  return null;
}

function conflictMessage(after: NonNullable<StoryConflict['after']>, actions: StoryConflict['actions']): string {
  let message = `Story structure conflict after ${after.type} '${after.name}':\n`;
  for (const { action, stories } of actions) {
    const names = stories.map((story) => `'${story.name}'`);
    const listed =
      names.length > 3
        ? `${names[0]}, ${names[1]}, and ${names.length - 2} other trackers`
        : names.length === 3
          ? `${names[0]}, ${names[1]}, and ${names[2]}`
          : names.join(' and ');
    message += `  ${action} predicted in ${listed}\n`;
  }
  return message;
}
