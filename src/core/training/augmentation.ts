/**
 * Story augmentation (Rasa's `--augmentation`, default 50): complete stories glued after other
 * complete stories, so ML policies learn that a story can start in the middle of a conversation.
 * Only ML policies train on these; memoization and rules ignore them, as in Rasa.
 */
import { seededRandom } from '../../ml/random.js';
import { ACTION_LISTEN } from '../policies/states.js';
import type { TrainingTracker } from './training-tracker.js';

export interface AugmentationOptions {
  /** Rasa's augmentation factor; at most `10 × factor` glued trackers are made. 0 disables. @default 50 */
  factor?: number;
  /** @default 42 */
  seed?: number;
}

/** Deterministic pairs of story trackers, the first one's closing `action_listen` removed. */
export function augmentStoryTrackers(trackers: readonly TrainingTracker[], options: AugmentationOptions = {}): TrainingTracker[] {
  const factor = options.factor ?? 50;
  const limit = factor * 10;
  const count = trackers.length;
  if (factor <= 0 || count === 0) return [];
  const pairs: Array<[number, number]> = [];
  if (count * count <= limit) {
    for (let first = 0; first < count; first++) for (let second = 0; second < count; second++) pairs.push([first, second]);
  } else {
    const random = seededRandom(options.seed ?? 42);
    for (let made = 0; made < limit; made++) pairs.push([Math.floor(random() * count), Math.floor(random() * count)]);
  }
  return pairs.map(([first, second]) => glue(trackers[first], trackers[second]));
}

function glue(first: TrainingTracker, second: TrainingTracker): TrainingTracker {
  const last = first.events[first.events.length - 1];
  const head = last && last.event === 'action' && last.name === ACTION_LISTEN ? first.events.slice(0, -1) : first.events;
  return {
    kind: 'story',
    name: `${first.name} > ${second.name}`,
    origins: [...first.origins, ...second.origins],
    events: [...head, ...second.events],
    unpredictable: new Set([...first.unpredictable, ...second.unpredictable]),
    eventSources: new Map([...first.eventSources, ...second.eventSources]),
  };
}
