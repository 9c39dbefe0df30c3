/**
 * Writes evaluated stories back as YAML test stories (`failed_test_stories.yml`), with Rasa's
 * `# predicted: …` comments on every step the model got wrong, so the file can be read next to
 * the original and, once fixed, used as a test story again.
 */
import { stringify } from 'yaml';
import type { StoryEntity } from '../shared/training-data.js';
import type { Entity } from '../shared/nlu.js';
import { LATEST_FORMAT_VERSION } from '../project/index.js';
import type { EvaluatedEntity } from './entity-alignment.js';
import type { EvaluatedStep, EvaluatedStory } from './story-evaluation.js';

const ACTION_LISTEN = 'action_listen';

/**
 * The stories as a YAML document; `emptyMessage` becomes the file's only line when there are none.
 * @example storiesToYaml(result.stories.filter((s) => s.failed), 'None of the test stories failed - all good!')
 */
export function storiesToYaml(stories: readonly EvaluatedStory[], emptyMessage: string): string {
  if (stories.length === 0) return `# ${emptyMessage}\n`;
  const lines = [`version: "${LATEST_FORMAT_VERSION}"`, 'stories:'];
  for (const story of stories) {
    const where = story.source ? ` (${story.source.file}:${story.source.line})` : '';
    lines.push(`- story: ${scalar(`${story.name}${where}`)}`, '  steps:');
    for (const step of story.steps) lines.push(...stepLines(step));
  }
  return `${lines.join('\n')}\n`;
}

function stepLines(step: EvaluatedStep): string[] {
  switch (step.kind) {
    case 'user': {
      const intent = step.event.parse_data.intent?.name ?? null;
      const text = step.event.text;
      const lines: string[] = [];
      const comment = step.correct || step.predictedIntent === null ? '' : `  # predicted: ${step.predictedIntent}: ${annotated(text ?? '', step.predictedEntities)}`;
      if (intent !== null) lines.push(`  - intent: ${scalar(intent)}${comment}`);
      if (text) {
        const body = annotated(text, step.event.parse_data.entities.map(storyEntityOf));
        lines.push(`${intent !== null ? '    ' : '  - '}user: |-${intent === null ? comment : ''}`);
        for (const line of body.split('\n')) lines.push(`      ${line}`);
      }
      return lines;
    }
    case 'action': {
      // The listen before each user turn is implicit in YAML; only a wrong one is worth showing.
      if (step.correct && step.expected === ACTION_LISTEN && !step.isBotText) return [];
      const comment = step.correct ? '' : `  # predicted: ${step.predicted}`;
      return [`  - ${step.isBotText ? 'bot' : 'action'}: ${scalar(step.expected)}${comment}`];
    }
    case 'event': {
      const { event } = step;
      if (event.event === 'slot') return ['  - slot_was_set:', `    - ${scalar(event.name)}: ${scalar(event.value)}`];
      if (event.event === 'active_loop') return [`  - active_loop: ${scalar(event.name)}`];
      return [];
    }
    default: {
      const unknown: never = step;
      throw new TypeError(`Unexpected step ${JSON.stringify(unknown)}`);
    }
  }
}

/** The message with its entities in Rasa's inline notation, `[afghan](cuisine) food`. */
export function annotated(text: string, entities: ReadonlyArray<EvaluatedEntity | StoryEntity>): string {
  const located = entities
    .filter((entity): entity is (EvaluatedEntity | StoryEntity) & { start: number; end: number } =>
      typeof entity.start === 'number' && typeof entity.end === 'number' && entity.end <= text.length)
    .sort((a, b) => a.start - b.start);
  let result = '';
  let position = 0;
  for (const entity of located) {
    if (entity.start < position) continue;
    const surface = text.slice(entity.start, entity.end);
    const value = entity.value === undefined || entity.value === null ? surface : String(entity.value);
    result += text.slice(position, entity.start);
    result +=
      value === surface
        ? `[${surface}](${entity.entity})`
        : `[${surface}]{"entity": ${JSON.stringify(entity.entity)}, "value": ${JSON.stringify(value)}}`;
    position = entity.end;
  }
  return result + text.slice(position);
}

function storyEntityOf(entity: Entity): StoryEntity {
  return { entity: entity.entity, value: entity.value, start: entity.start, end: entity.end };
}

/** A YAML scalar on one line (quoted when plain text would be misread). */
function scalar(value: unknown): string {
  return stringify(value, { lineWidth: 0 }).trimEnd();
}
