import { describe, expect, it } from 'vitest';
import { addEntity, draftRequest, markPicked, moveCursor, removeEntity, startDraft, togglePick, type CorrectionDraft } from '../../review-ui/src/correction-draft.js';
import { conversation, turn } from './fixtures.js';

function draftOf(overrides: Parameters<typeof turn>[0] = {}, entity = 'city'): CorrectionDraft {
  const draft = startDraft(turn(overrides), entity);
  if (draft === null) throw new Error('expected a draft');
  return draft;
}

describe('startDraft', () => {
  it('starts from the prediction: its intent and its entities as annotations', () => {
    const draft = startDraft(conversation.turns[3], 'city');
    expect(draft).toMatchObject({
      eventIndex: 11,
      text: 'book a flight to Berlin',
      intent: 'nlu_fallback',
      entities: [{ start: 17, end: 23, entity: 'city' }],
      action: '',
      newEntity: 'city',
      problem: null,
    });
  });

  it('keeps a predicted value that differs from the text (a synonym)', () => {
    const draft = draftOf({ text: 'to NYC', entities: [{ entity: 'city', value: 'New York', start: 3, end: 6 }] });
    expect(draft.entities).toEqual([{ start: 3, end: 6, entity: 'city', value: 'New York' }]);
  });

  it('starts from the newest saved correction when there is one', () => {
    const draft = draftOf({
      corrections: [
        { id: 'a', sender_id: 's', event_index: 4, text: 'I am feeling so-so', intent: 'deny', entities: null, action: 'utter_goodbye', created_at: 1 },
        { id: 'b', sender_id: 's', event_index: 4, text: 'I am feeling so-so', intent: 'mood_unhappy', entities: null, action: null, created_at: 2 },
      ],
    });
    expect(draft.intent).toBe('mood_unhappy');
    expect(draft.action).toBe('');
  });

  it('gives no draft for the turn before the first user message', () => {
    expect(startDraft(conversation.turns[0])).toBeNull();
  });
});

describe('addEntity and removeEntity', () => {
  it('marks the selected words, leaving out surrounding space, in text order', () => {
    let draft = draftOf({ text: 'fly from Oslo to Rome' });
    draft = addEntity(draft, 16, 21);
    draft = addEntity({ ...draft, newRole: 'origin' }, 8, 13);
    expect(draft.entities).toEqual([
      { start: 9, end: 13, entity: 'city', role: 'origin' },
      { start: 17, end: 21, entity: 'city' },
    ]);
    expect(draft.problem).toBeNull();
    expect(removeEntity(draft, 0).entities).toEqual([{ start: 17, end: 21, entity: 'city' }]);
  });

  it('asks for a selection when nothing but space is selected', () => {
    const draft = addEntity(draftOf({ text: 'fly to Rome' }), 3, 4);
    expect(draft.entities).toEqual([]);
    expect(draft.problem).toBe('Select the words of the entity in the message first.');
  });

  it('asks for an entity type first', () => {
    expect(addEntity(draftOf({ text: 'fly to Rome' }, ''), 7, 11).problem).toBe('Choose an entity type first.');
  });

  it('refuses a span that overlaps a marked entity and names it', () => {
    const draft = addEntity(addEntity(draftOf({ text: 'fly to New York' }), 7, 15), 11, 15);
    expect(draft.entities).toHaveLength(1);
    expect(draft.problem).toBe('“New York” is already marked as city; remove it first.');
  });
});

describe('picking words', () => {
  it('marks the picked words from the first to the last and clears the pick', () => {
    let draft = draftOf({ text: 'fly to New York, please' });
    expect(draft.words.map((word) => word.text)).toEqual(['fly', 'to', 'New', 'York', ',', 'please']);
    draft = togglePick(togglePick(draft, 3), 2);
    expect(draft.picked).toEqual([2, 3]);
    draft = markPicked(draft);
    expect(draft.entities).toEqual([{ start: 7, end: 15, entity: 'city' }]);
    expect(draft.picked).toEqual([]);
  });

  it('moves the cursor within the words and picks as it goes with Shift', () => {
    let draft = moveCursor(draftOf({ text: 'from Oslo to Rome' }), 99, false);
    expect(draft.cursor).toBe(3);
    draft = moveCursor(moveCursor(draft, 1, false), 2, true);
    expect(draft.picked).toEqual([1, 2]);
    expect(togglePick(draft, 1).picked).toEqual([2]);
  });

  it('asks for words when none are picked', () => {
    expect(markPicked(draftOf()).problem).toBe('Pick the words of the entity first.');
  });
});

describe('draftRequest', () => {
  it('sends the intent always and the action only when one was chosen', () => {
    const draft = { ...draftOf(), intent: 'mood_unhappy' };
    expect(draftRequest('tester-1', draft)).toEqual({ sender_id: 'tester-1', event_index: 4, intent: 'mood_unhappy' });
    expect(draftRequest('tester-1', { ...draft, action: 'utter_cheer_up' }).action).toBe('utter_cheer_up');
  });

  it('sends entities only when they differ from the prediction, including an emptied list', () => {
    const draft = startDraft(conversation.turns[3], 'city')!;
    expect(draftRequest('s', draft).entities).toBeUndefined();
    expect(draftRequest('s', removeEntity(draft, 0)).entities).toEqual([]);
    const marked = addEntity(removeEntity(draft, 0), 5, 13);
    expect(draftRequest('s', marked).entities).toEqual([{ start: 5, end: 13, entity: 'city' }]);
  });

  it('keeps the entities of a saved correction when saving again unchanged', () => {
    const draft = draftOf({
      text: 'fly to Rome',
      corrections: [
        { id: 'a', sender_id: 's', event_index: 4, text: 'fly to Rome', intent: null, entities: [{ start: 7, end: 11, entity: 'city' }], action: null, created_at: 1 },
      ],
    });
    expect(draftRequest('s', draft).entities).toEqual([{ start: 7, end: 11, entity: 'city' }]);
  });
});
