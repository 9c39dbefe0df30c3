/** Scripted stand-ins for the NLU and the policies, a collecting output channel and log capture. */
import { Writable } from 'node:stream';
import { userFeaturization } from '../../../src/core/events.js';
import type { ActionPrediction, DialoguePolicies, Policy, PolicyTracker } from '../../../src/core/policies/types.js';
import { createLogger, type Logger } from '../../../src/logger.js';
import type { Domain } from '../../../src/shared/domain.js';
import type { BotMessage, OutputChannel } from '../../../src/shared/messages.js';
import type { Entity, NluInterpreter, ParseResult } from '../../../src/shared/nlu.js';

export interface ScriptedParse {
  intent: string;
  confidence?: number;
  entities?: Entity[];
  ranking?: Array<{ name: string; confidence: number }>;
}

/**
 * An interpreter that knows a fixed table of texts. `/intent` and `/intent{"e": "v"}` are
 * decoded too (a rough stand-in for the real shortcut handler); anything else is `nlu_fallback`.
 */
export function scriptedInterpreter(table: Record<string, ScriptedParse> = {}): NluInterpreter {
  return {
    parse(text: string): ParseResult {
      const known = table[text];
      if (known) {
        const confidence = known.confidence ?? 0.99;
        return {
          text,
          intent: { name: known.intent, confidence },
          entities: known.entities ?? [],
          intent_ranking: known.ranking ?? [{ name: known.intent, confidence }],
        };
      }
      const shortcut = /^\/([^{@]+)(\{.*\})?$/.exec(text);
      if (shortcut) {
        const entities = Object.entries(shortcut[2] ? (JSON.parse(shortcut[2]) as Record<string, unknown>) : {}).map(
          ([entity, value]) => ({ entity, value, extractor: 'RegexMessageHandler' }),
        );
        return {
          text,
          intent: { name: shortcut[1], confidence: 1 },
          entities,
          intent_ranking: [{ name: shortcut[1], confidence: 1 }],
        };
      }
      return { text, intent: { name: 'nlu_fallback', confidence: 0.3 }, entities: [], intent_ranking: [] };
    },
  };
}

export interface ScriptedChoice {
  action: string;
  policy?: string;
  confidence?: number;
  events?: ActionPrediction['events'];
  isEndToEndPrediction?: boolean;
}

/**
 * Policies that answer with whatever `decide` returns. Like Rasa's ensemble, they add
 * `user_featurization(false)` while the latest action is `action_listen`, and default to
 * `RulePolicy` with confidence 1.
 */
export function scriptedPolicies(
  domain: Domain,
  decide: (tracker: PolicyTracker) => string | ScriptedChoice,
): DialoguePolicies & { calls: number } {
  const policies = {
    domain,
    policies: [] as Policy[],
    calls: 0,
    predict(tracker: PolicyTracker): ActionPrediction {
      policies.calls += 1;
      const decided = decide(tracker);
      const choice = typeof decided === 'string' ? { action: decided } : decided;
      const events = [...(choice.events ?? [])];
      if (tracker.latestActionName === 'action_listen') events.push(userFeaturization(false));
      return {
        actionName: choice.action,
        actionIndex: domain.actionNames.indexOf(choice.action),
        confidence: choice.confidence ?? 1,
        policyName: choice.policy ?? 'RulePolicy',
        events,
        hideRuleTurn: false,
        isEndToEndPrediction: choice.isEndToEndPrediction ?? false,
      };
    },
  };
  return policies;
}

/** Policies driven by a map from the latest intent (after a user message) and latest action. */
export function ruleLikePolicies(
  domain: Domain,
  rules: { afterIntent?: Record<string, string>; afterAction?: Record<string, string> },
): DialoguePolicies & { calls: number } {
  return scriptedPolicies(domain, (tracker) => {
    const last = tracker.latestActionName;
    if (last === 'action_listen') return rules.afterIntent?.[tracker.latestMessage?.intent.name ?? ''] ?? 'action_listen';
    return rules.afterAction?.[last ?? ''] ?? 'action_listen';
  });
}

/** An output channel that keeps what it was sent. */
export class CollectingOutput implements OutputChannel {
  readonly name: string;
  readonly messages: Array<{ recipientId: string; message: BotMessage }> = [];

  constructor(name = 'collector') {
    this.name = name;
  }

  async sendResponse(recipientId: string, message: BotMessage): Promise<void> {
    this.messages.push({ recipientId, message });
  }

  get texts(): Array<string | null | undefined> {
    return this.messages.map((entry) => entry.message.text);
  }
}

/** A real pino logger writing JSON lines into memory. */
export function capturingLogger(): { logger: Logger; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const logger = createLogger({ level: 'debug', destination });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines };
}
