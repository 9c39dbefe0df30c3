/**
 * Stories and rules → training trackers: story blocks are joined end checkpoint → start
 * checkpoint (start checkpoints may require slot values), `or` steps branch, and every complete
 * path becomes one tracker. Rules become one tracker per `or` combination.
 */
import type { Logger } from '../../logger.js';
import type { Domain, SourceRef } from '../../shared/domain.js';
import type { TrackerEvent } from '../../shared/events.js';
import type { Rule, Story } from '../../shared/training-data.js';
import { pythonEquals } from '../python-values.js';
import { storedSlotValue } from '../slot-values.js';
import { eventsForSteps } from './step-events.js';
import { ruleBlock, storyBlocks, type BlockProblems, type CheckpointRef, type StoryBlock } from './story-blocks.js';
import type { TrainingOrigin, TrainingTracker } from './training-tracker.js';

export interface TrainingTrackers {
  stories: TrainingTracker[];
  rules: TrainingTracker[];
}

export interface GenerateTrackersOptions {
  logger?: Logger;
  /** Stop joining story paths beyond this many trackers (a warning says so). @default 20000 */
  maxStoryTrackers?: number;
}

interface PartialTracker {
  events: TrackerEvent[];
  unpredictable: TrackerEvent[];
  sources: Array<[TrackerEvent, SourceRef]>;
  origins: TrainingOrigin[];
}

/** Builds the training trackers of a project's stories and rules. */
export function generateTrainingTrackers(
  input: { domain: Domain; stories: readonly Story[]; rules: readonly Rule[] },
  options: GenerateTrackersOptions = {},
): TrainingTrackers {
  const problems: BlockProblems = {
    warn: (message, source) =>
      options.logger?.warn({ event: 'core.training.data', file: source?.file, line: source?.line }, message),
  };
  const storyTrackers = new StoryPaths(input.domain, problems, options.maxStoryTrackers ?? 20_000).generate(
    input.stories.flatMap((story) => storyBlocks(story, problems)),
  );
  const ruleTrackers = dedupe(
    input.rules.flatMap((rule) => {
      const block = ruleBlock(rule, problems);
      return block.variants.map((variant) => {
        const made = eventsForSteps(variant, input.domain, { isRule: true, startsConversation: true, appendFinalListen: true });
        return finish('rule', { ...made, origins: [block.origin] });
      });
    }),
  );
  return { stories: storyTrackers, rules: ruleTrackers };
}

class StoryPaths {
  readonly #domain: Domain;
  readonly #problems: BlockProblems;
  readonly #limit: number;
  #finished: TrainingTracker[] = [];
  #byStart = new Map<string, Array<{ block: StoryBlock; checkpoint: CheckpointRef }>>();
  #stopped = false;

  constructor(domain: Domain, problems: BlockProblems, limit: number) {
    this.#domain = domain;
    this.#problems = problems;
    this.#limit = limit;
  }

  generate(blocks: StoryBlock[]): TrainingTracker[] {
    for (const block of blocks) {
      for (const checkpoint of block.start) {
        const list = this.#byStart.get(checkpoint.name) ?? [];
        list.push({ block, checkpoint });
        this.#byStart.set(checkpoint.name, list);
      }
    }
    this.#warnAboutUnusedCheckpoints(blocks);
    const empty: PartialTracker = { events: [], unpredictable: [], sources: [], origins: [] };
    for (const block of blocks) {
      if (block.start.length === 0) this.#extend(empty, block, new Set([block]));
    }
    return dedupe(this.#finished);
  }

  #extend(prefix: PartialTracker, block: StoryBlock, path: ReadonlySet<StoryBlock>): void {
    for (const variant of block.variants) {
      if (this.#stopped) return;
      const made = eventsForSteps(variant, this.#domain, {
        isRule: false,
        startsConversation: block.start.length === 0,
        appendFinalListen: block.end.length === 0,
      });
      const last = prefix.origins[prefix.origins.length - 1];
      const partial: PartialTracker = {
        events: [...prefix.events, ...made.events],
        unpredictable: [...prefix.unpredictable, ...made.unpredictable],
        sources: [...prefix.sources, ...made.sources],
        origins: last === block.origin ? prefix.origins : [...prefix.origins, block.origin],
      };
      if (block.end.length === 0) {
        this.#finish(partial);
        continue;
      }
      for (const end of block.end) this.#continueAt(partial, end.name, path);
    }
  }

  #continueAt(partial: PartialTracker, checkpoint: string, path: ReadonlySet<StoryBlock>): void {
    const next = this.#byStart.get(checkpoint) ?? [];
    // A checkpoint nothing starts from ends the tracker there (Rasa keeps such trackers).
    if (next.length === 0) {
      this.#finish(partial);
      return;
    }
    let continued = false;
    let cycle = false;
    for (const { block, checkpoint: start } of next) {
      if (path.has(block)) {
        cycle = true;
        continue;
      }
      if (!this.#conditionsHold(partial.events, start)) continue;
      continued = true;
      this.#extend(partial, block, new Set([...path, block]));
    }
    // Going round a checkpoint cycle once more would add nothing new: the path ends here.
    if (!continued && cycle) this.#finish(partial);
  }

  #conditionsHold(events: readonly TrackerEvent[], checkpoint: CheckpointRef): boolean {
    if (checkpoint.conditions.length === 0) return true;
    const values = slotValuesAfter(events, this.#domain);
    return checkpoint.conditions.every((condition) => pythonEquals(values.get(condition.name) ?? null, condition.value));
  }

  #finish(partial: PartialTracker): void {
    if (this.#finished.length >= this.#limit) {
      if (!this.#stopped) {
        this.#problems.warn(
          `The stories join into more than ${this.#limit} paths through their checkpoints and 'or' steps; training uses the first ${this.#limit}. Use fewer checkpoints or split long 'or' chains.`,
        );
      }
      this.#stopped = true;
      return;
    }
    this.#finished.push(finish('story', partial));
  }

  #warnAboutUnusedCheckpoints(blocks: readonly StoryBlock[]): void {
    const ends = new Set(blocks.flatMap((block) => block.end.map((checkpoint) => checkpoint.name)));
    for (const block of blocks) {
      for (const start of block.start) {
        if (!ends.has(start.name)) {
          this.#problems.warn(
            `The story '${block.origin.name}' starts at checkpoint '${start.name}', but no story ends with it, so the story is never used. Remove the checkpoint or add a story that ends with it.`,
            start.source,
          );
        }
      }
      for (const end of block.end) {
        if (!this.#byStart.has(end.name)) {
          this.#problems.warn(
            `The story '${block.origin.name}' ends at checkpoint '${end.name}', but no story starts with it. Remove the checkpoint or add a story that starts with it.`,
            end.source,
          );
        }
      }
    }
  }
}

function finish(kind: 'story' | 'rule', partial: PartialTracker): TrainingTracker {
  return {
    kind,
    name: partial.origins.map((origin) => origin.name).join(' > '),
    origins: partial.origins,
    events: partial.events,
    unpredictable: new Set(partial.unpredictable),
    eventSources: new Map(partial.sources),
  };
}

/** Slot values after `events`, as a tracker would store them. */
function slotValuesAfter(events: readonly TrackerEvent[], domain: Domain): Map<string, unknown> {
  const definitions = new Map(domain.slots.map((slot) => [slot.name, slot]));
  const initial = (): Map<string, unknown> =>
    new Map(domain.slots.map((slot) => [slot.name, storedSlotValue(slot, structuredClone(slot.initialValue ?? null))]));
  let values = initial();
  for (const event of events) {
    if (event.event === 'slot') {
      const definition = definitions.get(event.name);
      if (definition) values.set(event.name, storedSlotValue(definition, event.value));
    } else if (event.event === 'reset_slots' || event.event === 'restart' || event.event === 'session_started') {
      values = initial();
    }
  }
  return values;
}

/** Drops trackers whose kind and events equal an earlier tracker's. */
function dedupe(trackers: TrainingTracker[]): TrainingTracker[] {
  const seen = new Set<string>();
  return trackers.filter((tracker) => {
    const signature = `${tracker.kind}:${JSON.stringify(tracker.events)}`;
    if (seen.has(signature)) return false;
    seen.add(signature);
    return true;
  });
}
