/** Builds a processor with real stores, a scripted NLU and scripted policies. */
import type { ActionEndpointConfig } from '../../../src/core/actions/action-server.js';
import type { PolicyTracker } from '../../../src/core/policies/types.js';
import { MessageProcessor } from '../../../src/core/processor.js';
import { silentLogger, type Logger } from '../../../src/logger.js';
import type { Domain } from '../../../src/shared/domain.js';
import type { TrackerEvent } from '../../../src/shared/events.js';
import type { UserMessage } from '../../../src/shared/messages.js';
import type { NluInterpreter } from '../../../src/shared/nlu.js';
import { MemoryLockStore } from '../../../src/stores/memory-lock-store.js';
import { MemoryTrackerStore } from '../../../src/stores/memory-tracker-store.js';
import { CollectingOutput, scriptedInterpreter, scriptedPolicies, type ScriptedChoice } from './scripted.js';

export interface SetupOptions {
  domain: Domain;
  decide: (tracker: PolicyTracker) => string | ScriptedChoice;
  interpreter?: NluInterpreter;
  actionEndpoint?: ActionEndpointConfig | null;
  maxNumberOfPredictions?: number;
  logger?: Logger;
  trackerStore?: MemoryTrackerStore;
  lockStore?: MemoryLockStore;
  trackerCacheSize?: number;
  parseCacheSize?: number;
}

export function setupProcessor(options: SetupOptions) {
  const trackerStore = options.trackerStore ?? new MemoryTrackerStore();
  const lockStore = options.lockStore ?? new MemoryLockStore();
  const policies = scriptedPolicies(options.domain, options.decide);
  const processor = new MessageProcessor({
    domain: options.domain,
    interpreter: options.interpreter ?? scriptedInterpreter(),
    policies,
    trackerStore,
    lockStore,
    actionEndpoint: options.actionEndpoint ?? null,
    modelId: 'model-1',
    assistantId: 'test_bot',
    logger: options.logger ?? silentLogger(),
    maxNumberOfPredictions: options.maxNumberOfPredictions,
    trackerCacheSize: options.trackerCacheSize,
    parseCacheSize: options.parseCacheSize,
  });
  const output = new CollectingOutput();
  const send = (text: string | null, extra: Partial<UserMessage> = {}) =>
    processor.handleMessage({ text, senderId: 'ann', inputChannel: 'rest', output, ...extra });
  const stored = async (senderId = 'ann'): Promise<TrackerEvent[]> =>
    (await trackerStore.retrieve(senderId, { allSessions: true })) ?? [];
  return { processor, trackerStore, lockStore, policies, output, send, stored };
}

/** `action:<name>`, `slot:<name>=<json>`, `bot:<text>`, `user:<text>` or the event type. */
export function describeEvent(event: TrackerEvent): string {
  switch (event.event) {
    case 'action':
      return `action:${event.name ?? event.action_text}`;
    case 'slot':
      return `slot:${event.name}=${JSON.stringify(event.value)}`;
    case 'bot':
      return `bot:${event.text}`;
    case 'user':
      return `user:${event.text}`;
    case 'active_loop':
      return `active_loop:${event.name}`;
    case 'action_execution_rejected':
      return `rejected:${event.name}`;
    case 'user_featurization':
      return `user_featurization:${event.use_text_for_featurization}`;
    default:
      return event.event;
  }
}

export const describeEvents = (events: readonly TrackerEvent[]) => events.map(describeEvent);
