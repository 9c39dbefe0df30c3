/** The training trackers of one run, with their states computed once and shared by all policies. */
import { augmentStoryTrackers } from '../training/augmentation.js';
import type { TrainingTracker } from '../training/training-tracker.js';
import type { StateBuilder } from './states.js';
import { trackerExamples, type TrackerExamples } from './training-examples.js';

export class TrainingSet {
  readonly storyTrackers: readonly TrainingTracker[];
  readonly ruleTrackers: readonly TrainingTracker[];
  readonly builder: StateBuilder;
  #storyExamples?: TrackerExamples[];
  #ruleExamples?: TrackerExamples[];
  #augmentedExamples?: TrackerExamples[];

  constructor(trackers: { stories: readonly TrainingTracker[]; rules: readonly TrainingTracker[] }, builder: StateBuilder) {
    this.storyTrackers = trackers.stories;
    this.ruleTrackers = trackers.rules;
    this.builder = builder;
  }

  /** Story trackers as states and labels (slots with initial values included). */
  storyExamples(): TrackerExamples[] {
    this.#storyExamples ??= this.storyTrackers.map((tracker) => trackerExamples(tracker, this.builder));
    return this.#storyExamples;
  }

  /**
   * Story examples plus stories glued after other stories (Rasa's augmentation, factor 50), for
   * ML policies only.
   */
  augmentedStoryExamples(): TrackerExamples[] {
    this.#augmentedExamples ??= [
      ...this.storyExamples(),
      ...augmentStoryTrackers(this.storyTrackers).map((tracker) => trackerExamples(tracker, this.builder)),
    ];
    return this.#augmentedExamples;
  }

  /** Rule trackers as states and labels; only slots the rule itself sets appear. */
  ruleExamples(): TrackerExamples[] {
    this.#ruleExamples ??= this.ruleTrackers.map((tracker) => trackerExamples(tracker, this.builder, { omitUnsetSlots: true }));
    return this.#ruleExamples;
  }
}
