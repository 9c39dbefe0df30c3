/**
 * Stories and rules cut into blocks between checkpoints (Rasa's `StoryStep`s), with every `or`
 * expanded into the linear step sequences it stands for.
 */
import type { SourceRef } from '../../shared/domain.js';
import type { Rule, Story, StoryStep } from '../../shared/training-data.js';
import type { LinearStep } from './step-events.js';
import type { TrainingOrigin } from './training-tracker.js';

export interface CheckpointRef {
  name: string;
  /** Slot values a tracker must have to pass (start checkpoints only). */
  conditions: Array<{ name: string; value: unknown }>;
  source?: SourceRef;
}

export interface StoryBlock {
  origin: TrainingOrigin;
  /** Empty: the block opens a conversation. Otherwise trackers arrive through any of these. */
  start: CheckpointRef[];
  /** Empty: the conversation ends after this block. Otherwise trackers continue at each. */
  end: CheckpointRef[];
  /** The block's steps, one sequence per combination of `or` alternatives. */
  variants: LinearStep[][];
}

export interface BlockProblems {
  warn(message: string, source?: SourceRef): void;
}

/** Most `or` combinations one block may expand into; more is almost surely a data mistake. */
export const MAX_VARIANTS_PER_BLOCK = 1024;

/** Splits a story at its checkpoints. */
export function storyBlocks(story: Story, problems: BlockProblems): StoryBlock[] {
  const origin: TrainingOrigin = { kind: 'story', name: story.name, source: story.source };
  const blocks: StoryBlock[] = [];
  let start: CheckpointRef[] = [];
  let end: CheckpointRef[] = [];
  let steps: StoryStep[] = [];
  const close = (): void => {
    if (steps.length > 0) blocks.push({ origin, start, end, variants: expandOr(steps, origin, problems) });
  };

  for (const step of story.steps) {
    if (step.kind === 'checkpoint') {
      if (steps.length === 0 && end.length === 0) {
        start.push({ name: step.name, conditions: step.slotWasSet, source: step.source });
        continue;
      }
      if (step.slotWasSet.length > 0) {
        problems.warn(
          `The checkpoint '${step.name}' in story '${story.name}' is not at the story's start, so its slot conditions are ignored; only start checkpoints can have conditions.`,
          step.source,
        );
      }
      end.push({ name: step.name, conditions: [], source: step.source });
      continue;
    }
    if (step.kind === 'snippet') {
      problems.warn(`The story '${story.name}' contains '...', which only rules may use; the step is skipped.`, step.source);
      continue;
    }
    if (end.length > 0) {
      close();
      start = end.map((checkpoint) => ({ name: checkpoint.name, conditions: [], source: checkpoint.source }));
      end = [];
      steps = [];
    }
    steps.push(step);
  }
  close();
  return blocks;
}

/**
 * A rule as one block: its conditions, then `...` unless it applies only at the conversation
 * start, then its steps, then `...` when it does not wait for the user afterwards.
 */
export function ruleBlock(rule: Rule, problems: BlockProblems): StoryBlock {
  const origin: TrainingOrigin = { kind: 'rule', name: rule.name, source: rule.source };
  const snippet: StoryStep = { kind: 'snippet', source: rule.source };
  const steps: StoryStep[] = [
    ...rule.condition,
    ...(rule.conversationStart ? [] : [snippet]),
    ...rule.steps.filter((step) => {
      if (step.kind !== 'checkpoint') return true;
      problems.warn(`The rule '${rule.name}' contains the checkpoint '${step.name}'; rules cannot use checkpoints, so it is skipped.`, step.source);
      return false;
    }),
    ...(rule.waitForUserInput ? [] : [snippet]),
  ];
  return { origin, start: [], end: [], variants: expandOr(steps, origin, problems) };
}

/** Every linear step sequence an `or`-containing sequence stands for. */
export function expandOr(steps: readonly StoryStep[], origin: TrainingOrigin, problems: BlockProblems): LinearStep[][] {
  let variants: LinearStep[][] = [[]];
  for (const step of steps) {
    if (step.kind === 'checkpoint') continue;
    if (step.kind !== 'or') {
      for (const variant of variants) variant.push(step);
      continue;
    }
    const alternatives = step.alternatives.flatMap((alternative) => expandOr([alternative], origin, problems));
    if (alternatives.length === 0) continue;
    const next: LinearStep[][] = [];
    for (const variant of variants) {
      for (const alternative of alternatives) next.push([...variant, ...alternative]);
    }
    if (next.length > MAX_VARIANTS_PER_BLOCK) {
      problems.warn(
        `The ${origin.kind} '${origin.name}' expands into more than ${MAX_VARIANTS_PER_BLOCK} paths through its 'or' steps; only the first ${MAX_VARIANTS_PER_BLOCK} are used. Split it into smaller ${origin.kind === 'rule' ? 'rules' : 'stories'}.`,
        step.source,
      );
      next.length = MAX_VARIANTS_PER_BLOCK;
    }
    variants = next;
  }
  return variants;
}
