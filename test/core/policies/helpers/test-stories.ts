/** Test helper: plays a test story against trained policies, as `rasa test` does for dialogue. */
import type { DialoguePolicies } from '../../../../src/core/policies/types.js';
import type { Domain } from '../../../../src/shared/domain.js';
import type { Story } from '../../../../src/shared/training-data.js';
import { TestConversation, action } from './conversation.js';

export interface StoryStepResult {
  expected: string;
  predicted: string;
  policy: string | null;
}

/**
 * For every bot turn of the story, predicts the listed actions plus the closing `action_listen`
 * given the listed intents; the story's own actions (not the predictions) are logged so that one
 * miss does not derail the rest. `active_loop` steps are logged as the form would log them.
 */
export function playTestStory(policies: DialoguePolicies, domain: Domain, story: Story): StoryStepResult[] {
  const conversation = new TestConversation(domain);
  const results: StoryStepResult[] = [];
  let turnOpen = false;
  const predict = (expected: string): void => {
    const prediction = policies.predict(conversation);
    results.push({ expected, predicted: prediction.actionName, policy: prediction.policyName });
    conversation.add(
      ...prediction.events,
      action(expected, { policy: prediction.policyName, confidence: prediction.confidence, hide_rule_turn: prediction.hideRuleTurn }),
    );
  };
  const closeTurn = (): void => {
    if (turnOpen) predict('action_listen');
    turnOpen = false;
  };
  for (const step of story.steps) {
    switch (step.kind) {
      case 'user':
        closeTurn();
        conversation.user(step.intent ?? '', { text: step.text ?? undefined });
        turnOpen = true;
        break;
      case 'action':
        predict(step.name);
        break;
      case 'active_loop':
        conversation.add({ event: 'active_loop', timestamp: 1, name: step.name });
        break;
      case 'slot_was_set':
        for (const slot of step.slots) conversation.add({ event: 'slot', timestamp: 1, name: slot.name, value: slot.value });
        break;
      default:
        throw new Error(`playTestStory does not support '${step.kind}' steps`);
    }
  }
  closeTurn();
  return results;
}
