import { describe, expect, it } from 'vitest';
import { BuiltDialogueState, numberState, stateMemo, WindowMemory, windowKey } from '../../../src/core/policies/state-memo.js';
import type { DialogueState } from '../../../src/core/policies/states.js';

/** A state as the builder shares it: with its own id. */
function shared(action: string): DialogueState {
  const state = Object.assign(new BuiltDialogueState() as DialogueState, { prev_action: { action_name: action } });
  numberState(stateMemo(state)!);
  return state;
}

describe('windows of shared states', () => {
  it('have a key only when every state is shared, and different windows different keys', () => {
    const [a, b] = [shared('a'), shared('b')];
    expect(windowKey([a, b])).not.toBeNull();
    expect(windowKey([a, b])).toBe(windowKey([a, b]));
    expect(windowKey([b, a])).not.toBe(windowKey([a, b]));
    expect(windowKey([a])).not.toBe(windowKey([a, b]));
    expect(windowKey([a, { prev_action: { action_name: 'a' } }])).toBeNull();
  });

  it('are remembered: derived once per shared window, every time otherwise, starting over when full', () => {
    const memory = new WindowMemory<number>(2);
    let derived = 0;
    const derive = () => ++derived;
    const [a, b, c] = [shared('a'), shared('b'), shared('c')];
    expect(memory.recall([a], derive)).toBe(1);
    expect(memory.recall([a], derive)).toBe(1);
    const plain: DialogueState = { prev_action: { action_name: 'a' } };
    expect(memory.recall([plain], derive)).toBe(2);
    expect(memory.recall([plain], derive)).toBe(3);
    memory.recall([b], derive);
    memory.recall([c], derive); // the third window: the memory started over
    expect(memory.recall([a], derive)).toBe(6);
    memory.clear();
    expect(memory.recall([c], derive)).toBe(7);
  });
});
