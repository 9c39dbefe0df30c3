/**
 * Test-story evaluation (Rasa's end-to-end core test): each test story becomes a tracker; the
 * story is replayed event by event, the NLU parses every user text and the policies predict every
 * action, and each guess is compared with what the story says. Whatever was guessed, the story's
 * own event goes into the tracker, so one wrong prediction does not spoil the rest of the story.
 * Actions are never executed (no action server, no responses), exactly as in Rasa.
 */
import type { Domain, SourceRef } from '../shared/domain.js';
import type { ActionExecutedEvent, TrackerEvent, UserUtteredEvent } from '../shared/events.js';
import type { NluInterpreter, ParseResult } from '../shared/nlu.js';
import type { Story } from '../shared/training-data.js';
import { indexDomain } from '../core/domain-index.js';
import { actionExecuted, actionExecutionRejected } from '../core/events.js';
import type { DialoguePolicies } from '../core/policies/index.js';
import { DialogueStateTracker } from '../core/tracker.js';
import { generateTrainingTrackers } from '../core/training/tracker-generator.js';
import { trackerLocation, type TrainingTracker } from '../core/training/training-tracker.js';
import { alignEntities, cleanEntities, sameEntitySets, type EvaluatedEntity } from './entity-alignment.js';

/** What Rasa records when the prediction loop would run away (`ActionLimitReached`). */
export const CIRCUIT_BREAKER_PREDICTION = 'circuit breaker tripped';
const ACTION_LISTEN = 'action_listen';
const ACTION_SESSION_START = 'action_session_start';
const UTTER_PREFIX = 'utter_';

/** One step of an evaluated story, in story order (the implicit `action_listen`s included). */
export type EvaluatedStep =
  | {
      kind: 'user';
      event: UserUtteredEvent;
      source?: SourceRef;
      /** Null when the story gives only an intent (nothing for the NLU to parse). */
      predictedIntent: string | null;
      targetEntities: EvaluatedEntity[];
      predictedEntities: EvaluatedEntity[];
      correct: boolean;
    }
  | {
      kind: 'action';
      /** The story's action name, or its bot text for a `bot:` step. */
      expected: string;
      isBotText: boolean;
      predicted: string;
      policy: string | null;
      confidence: number | null;
      source?: SourceRef;
      correct: boolean;
    }
  /** Slots, loops and other events taken from the story as they are. */
  | { kind: 'event'; event: TrackerEvent; source?: SourceRef };

export interface EvaluatedStory {
  /** The story name (joined with ` > ` when checkpoints join several). */
  name: string;
  source?: SourceRef;
  steps: EvaluatedStep[];
  /** A wrong intent, wrong entities or a wrong action anywhere in the story. */
  failed: boolean;
}

/** One action prediction, as Rasa lists them in its test result (`actions`). */
export interface ActionResult {
  action: string;
  predicted: string;
  policy: string | null;
  confidence: number | null;
}

export interface StoryEvaluation {
  stories: EvaluatedStory[];
  actionTargets: string[];
  actionPredictions: string[];
  intentTargets: string[];
  intentPredictions: string[];
  /** Entities aligned into comparable labels (`[afghan](cuisine)`, `None` for a miss). */
  entityTargets: string[];
  entityPredictions: string[];
  actions: ActionResult[];
}

export interface StoryEvaluationInput {
  domain: Domain;
  interpreter: NluInterpreter;
  policies: DialoguePolicies;
  stories: readonly Story[];
}

export interface StoryEvaluationOptions {
  /** Actions in a row without a user message before the circuit breaker trips. @default 10 */
  maxPredictions?: number;
}

/** Replays every test story against the NLU and the policies. */
export function evaluateStories(input: StoryEvaluationInput, options: StoryEvaluationOptions = {}): StoryEvaluation {
  const { stories: trackers } = generateTrainingTrackers({ domain: input.domain, stories: input.stories, rules: [] });
  const result: StoryEvaluation = {
    stories: [],
    actionTargets: [],
    actionPredictions: [],
    intentTargets: [],
    intentPredictions: [],
    entityTargets: [],
    entityPredictions: [],
    actions: [],
  };
  const replayer = new StoryReplayer(input, options.maxPredictions ?? 10);
  for (const tracker of trackers) {
    const story = replayer.replay(tracker);
    result.stories.push(story);
    for (const step of story.steps) {
      if (step.kind === 'action') {
        result.actionTargets.push(step.expected);
        result.actionPredictions.push(step.predicted);
        result.actions.push({ action: step.expected, predicted: step.predicted, policy: step.policy, confidence: step.confidence });
      } else if (step.kind === 'user' && step.predictedIntent !== null) {
        result.intentTargets.push(labelOf(step.event.parse_data.intent?.name));
        result.intentPredictions.push(labelOf(step.predictedIntent));
        const aligned = alignEntities(step.targetEntities, step.predictedEntities);
        result.entityTargets.push(...aligned.targets);
        result.entityPredictions.push(...aligned.predictions);
      }
    }
  }
  return result;
}

class StoryReplayer {
  readonly #input: StoryEvaluationInput;
  readonly #maxPredictions: number;

  constructor(input: StoryEvaluationInput, maxPredictions: number) {
    this.#input = input;
    this.#maxPredictions = maxPredictions;
  }

  replay(story: TrainingTracker): EvaluatedStory {
    const [first, ...rest] = story.events;
    const tracker = DialogueStateTracker.fromEvents(story.name, first ? [first] : [], this.#input.domain.slots);
    const steps: EvaluatedStep[] = [];
    // Actions since the last user message drive the circuit breaker; no history is rescanned.
    let actionsSinceUser = first?.event === 'action' ? 1 : 0;
    for (const event of rest) {
      const source = story.eventSources.get(event);
      if (event.event === 'action') {
        steps.push(this.#predictAction(tracker, event, source, actionsSinceUser));
        actionsSinceUser += 1;
      } else if (event.event === 'user') {
        steps.push(this.#parseUser(tracker, event, source));
        actionsSinceUser = 0;
      } else {
        tracker.update(event);
        steps.push({ kind: 'event', event, source });
      }
    }
    const failed = steps.some((step) => step.kind !== 'event' && !step.correct);
    return { name: story.name, source: trackerLocation(story), steps, failed };
  }

  #parseUser(tracker: DialogueStateTracker, event: UserUtteredEvent, source: SourceRef | undefined): EvaluatedStep {
    const goldIntent = event.parse_data.intent?.name ?? null;
    if (event.text === null || event.text === '') {
      // An intent-only step gives the NLU nothing to read; its parse data is taken as predicted.
      tracker.update(event);
      return { kind: 'user', event, source, predictedIntent: null, targetEntities: [], predictedEntities: [], correct: true };
    }
    const parsed = this.#input.interpreter.parse(event.text);
    const predictedIntent = predictedIntentName(parsed, goldIntent);
    const targetEntities = cleanEntities(event.text, event.parse_data.entities ?? [], false);
    const predictedEntities = cleanEntities(event.text, parsed.entities ?? [], true);
    // A text-only step (no `intent:`) is featurized by its text, so only its entities are checked.
    const intentCorrect = goldIntent === null || predictedIntent === goldIntent;
    const correct = intentCorrect && sameEntitySets(targetEntities, predictedEntities);
    // The story's intent and entities go into the tracker either way (as Rasa does).
    const selector = correct && parsed.response_selector ? { response_selector: parsed.response_selector } : {};
    tracker.update({ ...event, parse_data: { ...event.parse_data, ...selector } });
    return { kind: 'user', event, source, predictedIntent: predictedIntent ?? 'None', targetEntities, predictedEntities, correct };
  }

  #predictAction(
    tracker: DialogueStateTracker,
    event: ActionExecutedEvent,
    source: SourceRef | undefined,
    actionsSinceUser: number,
  ): EvaluatedStep {
    const expected = event.name ?? event.action_text ?? '';
    let predicted = CIRCUIT_BREAKER_PREDICTION;
    let policy: string | null = null;
    let confidence: number | null = null;
    const latest = tracker.latestActionName;
    const wouldPredictAgain = latest !== ACTION_LISTEN && latest !== ACTION_SESSION_START;
    if (!(actionsSinceUser >= this.#maxPredictions && wouldPredictAgain)) {
      let guess = this.#predict(tracker, expected);
      // A form that keeps being predicted may have rejected its turn: emulate that and ask again.
      if (guess.policy !== null && guess.name !== expected && formMightHaveBeenRejected(this.#input.domain, tracker, guess.name)) {
        tracker.update(actionExecutionRejected(guess.name));
        guess = this.#predict(tracker, expected);
      }
      ({ name: predicted, policy, confidence } = guess);
    }
    tracker.update(
      actionExecuted(event.name, { actionText: event.action_text, policy, confidence, timestamp: event.timestamp }),
    );
    return { kind: 'action', expected, isBotText: event.name === null, predicted, policy, confidence, source, correct: predicted === expected };
  }

  #predict(tracker: DialogueStateTracker, expected: string): { name: string; policy: string | null; confidence: number } {
    const followup = tracker.followupAction;
    if (followup && followup !== ACTION_LISTEN && indexDomain(this.#input.domain).actionIndex.has(followup)) {
      tracker.clearFollowupAction();
      return { name: followup, policy: 'followup_action', confidence: 1 };
    }
    const prediction = this.#input.policies.predict(tracker);
    return {
      name: fullRetrievalName(this.#input.domain, tracker, prediction.actionName, expected),
      policy: prediction.policyName,
      confidence: prediction.confidence,
    };
  }
}

/** The intent to compare: the full retrieval intent when the base intent alone does not match. */
function predictedIntentName(parsed: ParseResult, goldIntent: string | null): string | null {
  const base = parsed.intent?.name ?? null;
  if (base === goldIntent || base === null) return base;
  const key = responseKey(parsed, base);
  return key ?? base;
}

/** `faq/ask_name` from the response selector's answer for the retrieval intent `base`. */
function responseKey(parsed: ParseResult, base: string): string | null {
  const selector = parsed.response_selector as Record<string, unknown> | undefined;
  if (!selector) return null;
  const retrievalIntents = selector.all_retrieval_intents;
  if (!Array.isArray(retrievalIntents) || !retrievalIntents.includes(base)) return null;
  const entry = (selector[base] ?? selector.default) as { response?: { intent_response_key?: unknown } } | undefined;
  const key = entry?.response?.intent_response_key;
  return typeof key === 'string' && key !== '' ? key : null;
}

/**
 * `utter_faq/ask_name` instead of `utter_faq` when a retrieval action was predicted, unless the
 * story itself names only `utter_faq` (then the shorter name is the fair comparison).
 */
function fullRetrievalName(domain: Domain, tracker: DialogueStateTracker, predicted: string, expected: string): string {
  if (predicted === expected || !predicted.startsWith(UTTER_PREFIX)) return predicted;
  const base = predicted.slice(UTTER_PREFIX.length);
  if (!indexDomain(domain).retrievalIntents.has(base)) return predicted;
  const message = tracker.latestMessage;
  const key = message ? responseKey(message, base) : null;
  return key ? `${UTTER_PREFIX}${key}` : predicted;
}

function formMightHaveBeenRejected(domain: Domain, tracker: DialogueStateTracker, predicted: string): boolean {
  return tracker.activeLoopName === predicted && indexDomain(domain).formNames.has(predicted);
}

function labelOf(name: string | null | undefined): string {
  return name ?? 'None';
}
