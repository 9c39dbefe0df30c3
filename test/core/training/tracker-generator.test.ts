import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { createLogger } from '../../../src/logger.js';
import { generateTrainingTrackers } from '../../../src/core/training/tracker-generator.js';
import type { TrainingTracker } from '../../../src/core/training/training-tracker.js';
import type { TrackerEvent } from '../../../src/shared/events.js';
import type { Rule, Story, StoryStep } from '../../../src/shared/training-data.js';
import { buildDomain } from '../policies/helpers/fixture-bot.js';

const domain = buildDomain({
  intents: ['greet', 'inform', 'affirm', 'deny', 'bye'],
  entities: ['city', 'tag'],
  slots: {
    city: { type: 'text', mappings: [{ type: 'from_entity', entity: 'city' }] },
    destination: { type: 'text', mappings: [{ type: 'from_entity', entity: 'city', role: 'to' }] },
    tags: { type: 'list', mappings: [{ type: 'from_entity', entity: 'tag' }] },
    in_form: {
      type: 'text',
      mappings: [{ type: 'from_entity', entity: 'city', conditions: [{ active_loop: 'trip_form' }] }],
    },
    vip: { type: 'bool', mappings: [{ type: 'custom' }] },
  },
  responses: { utter_hi: [{ text: 'hi' }], utter_ok: [{ text: 'ok' }], utter_bye: [{ text: 'bye' }], utter_vip: [{ text: 'vip' }] },
  forms: { trip_form: { required_slots: ['city'] } },
});

const user = (intent: string, entities: Array<{ entity: string; value: unknown; role?: string }> = []): StoryStep => ({
  kind: 'user',
  intent,
  text: null,
  entities,
});
const act = (name: string): StoryStep => ({ kind: 'action', name, source: { file: 'data/stories.yml', line: 9, column: 7 } });
const checkpoint = (name: string, slotWasSet: Array<{ name: string; value: unknown }> = []): StoryStep => ({ kind: 'checkpoint', name, slotWasSet });
const story = (name: string, steps: StoryStep[]): Story => ({ name, steps, source: { file: 'data/stories.yml', line: 1, column: 3 } });
const rule = (name: string, steps: StoryStep[], extra: Partial<Rule> = {}): Rule => ({
  name,
  steps,
  condition: [],
  conversationStart: false,
  waitForUserInput: true,
  source: { file: 'data/rules.yml', line: 2, column: 3 },
  ...extra,
});

/** Events as short strings: `a:name`, `u:intent`, `s:slot=value`, `l:loop`. */
function shape(tracker: TrainingTracker): string[] {
  return tracker.events.map((event: TrackerEvent) => {
    switch (event.event) {
      case 'action':
        return `a:${event.name ?? `"${event.action_text}"`}`;
      case 'user':
        return `u:${event.parse_data.intent.name}`;
      case 'slot':
        return `s:${event.name}=${JSON.stringify(event.value)}`;
      case 'active_loop':
        return `l:${event.name}`;
      default:
        return event.event;
    }
  });
}

function generate(stories: Story[], rules: Rule[] = []) {
  return generateTrainingTrackers({ domain, stories, rules });
}

describe('story trackers', () => {
  it('adds an action_listen before every user turn and at the end', () => {
    const { stories } = generate([story('s', [user('greet'), act('utter_hi'), user('bye'), act('utter_bye')])]);
    expect(shape(stories[0])).toEqual(['a:action_listen', 'u:greet', 'a:utter_hi', 'a:action_listen', 'u:bye', 'a:utter_bye', 'a:action_listen']);
  });

  it('does not add a second action_listen after an explicit one', () => {
    const { stories } = generate([story('s', [act('action_listen'), user('greet'), act('utter_hi')])]);
    expect(shape(stories[0]).slice(0, 2)).toEqual(['a:action_listen', 'u:greet']);
  });

  it('fills slots from entities through unconditioned from_entity mappings, matching roles', () => {
    const { stories } = generate([
      story('s', [
        user('inform', [
          { entity: 'city', value: 'Paris' },
          { entity: 'city', value: 'Rome', role: 'to' },
          { entity: 'tag', value: 'a' },
          { entity: 'tag', value: 'b' },
        ]),
        act('utter_ok'),
      ]),
    ]);
    expect(shape(stories[0]).slice(1, 5)).toEqual(['u:inform', 's:city="Paris"', 's:destination="Rome"', 's:tags=["a","b"]']);
  });

  it('leaves entity slots alone when the domain does not store entities as slots', () => {
    const { stories } = generateTrainingTrackers({
      domain: { ...domain, storeEntitiesAsSlots: false },
      stories: [story('s', [user('inform', [{ entity: 'city', value: 'Paris' }]), act('utter_ok')])],
      rules: [],
    });
    expect(shape(stories[0]).filter((event) => event.startsWith('s:'))).toEqual([]);
  });

  it('logs slot_was_set and active_loop steps as events, keeping null in stories', () => {
    const { stories } = generate([
      story('s', [
        user('greet'),
        act('trip_form'),
        { kind: 'active_loop', name: 'trip_form' },
        { kind: 'slot_was_set', slots: [{ name: 'vip', value: null }] },
        { kind: 'active_loop', name: null },
      ]),
    ]);
    expect(shape(stories[0]).slice(2)).toEqual(['a:trip_form', 'l:trip_form', 's:vip=null', 'l:null', 'a:action_listen']);
  });

  it('turns bot steps into actions with a text', () => {
    const { stories } = generate([story('s', [user('greet'), { kind: 'bot', text: 'Hello there' }])]);
    expect(shape(stories[0])[2]).toBe('a:"Hello there"');
  });

  it('expands or steps into one tracker per alternative', () => {
    const { stories } = generate([
      story('s', [user('greet'), act('utter_hi'), { kind: 'or', alternatives: [user('affirm'), user('deny')] }, act('utter_ok')]),
    ]);
    expect(stories.map((tracker) => shape(tracker)[4])).toEqual(['u:affirm', 'u:deny']);
    expect(stories.map((tracker) => tracker.name)).toEqual(['s', 's']);
  });

  it('marks the opening action of a story that starts without a user turn as unpredictable', () => {
    const { stories } = generate([story('s', [act('utter_hi'), user('greet'), act('utter_ok')])]);
    const [opening] = stories[0].events;
    expect(stories[0].unpredictable.has(opening)).toBe(true);
    expect(stories[0].unpredictable.size).toBe(1);
  });

  it('remembers where each event was written', () => {
    const { stories } = generate([story('s', [user('greet'), act('utter_hi')])]);
    const utter = stories[0].events[2];
    expect(stories[0].eventSources.get(utter)).toEqual({ file: 'data/stories.yml', line: 9, column: 7 });
    expect(stories[0].origins).toEqual([{ kind: 'story', name: 's', source: { file: 'data/stories.yml', line: 1, column: 3 } }]);
  });

  it('drops trackers that repeat an earlier one', () => {
    const steps = [user('greet'), act('utter_hi')];
    expect(generate([story('a', steps), story('b', steps)]).stories).toHaveLength(1);
  });
});

describe('checkpoints', () => {
  it('joins a story ending at a checkpoint with every story starting there', () => {
    const { stories } = generate([
      story('opening', [user('greet'), act('utter_hi'), checkpoint('greeted')]),
      story('yes', [checkpoint('greeted'), user('affirm'), act('utter_ok')]),
      story('no', [checkpoint('greeted'), user('deny'), act('utter_bye')]),
    ]);
    expect(stories.map((tracker) => tracker.name)).toEqual(['opening > yes', 'opening > no']);
    expect(shape(stories[0])).toEqual(['a:action_listen', 'u:greet', 'a:utter_hi', 'a:action_listen', 'u:affirm', 'a:utter_ok', 'a:action_listen']);
    expect(stories[0].origins.map((origin) => origin.name)).toEqual(['opening', 'yes']);
  });

  it('lets only trackers with the required slot values through a conditional start checkpoint', () => {
    const { stories } = generate([
      story('vip', [user('greet'), { kind: 'slot_was_set', slots: [{ name: 'vip', value: true }] }, checkpoint('known')]),
      story('guest', [user('greet'), { kind: 'slot_was_set', slots: [{ name: 'vip', value: false }] }, checkpoint('known')]),
      story('vip welcome', [checkpoint('known', [{ name: 'vip', value: true }]), act('utter_vip')]),
    ]);
    expect(stories.map((tracker) => tracker.name)).toEqual(['vip > vip welcome']);
  });

  it('splits a story at a checkpoint in its middle', () => {
    const { stories } = generate([
      story('long', [user('greet'), act('utter_hi'), checkpoint('middle'), user('bye'), act('utter_bye')]),
      story('detour', [checkpoint('middle'), user('affirm'), act('utter_ok')]),
    ]);
    expect(stories.map((tracker) => tracker.name).sort()).toEqual(['long', 'long > detour']);
  });

  it('ends trackers at a checkpoint cycle instead of looping forever', () => {
    const { stories } = generate([
      story('start', [user('greet'), act('utter_hi'), checkpoint('loop')]),
      story('again', [checkpoint('loop'), user('affirm'), act('utter_ok'), checkpoint('loop')]),
    ]);
    expect(stories.map((tracker) => tracker.name)).toEqual(['start > again']);
    expect(shape(stories[0]).at(-1)).toBe('a:utter_ok');
  });

  it('keeps a tracker whose end checkpoint nothing starts from, and warns about it', () => {
    const logs = new PassThrough();
    const lines: string[] = [];
    logs.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    const { stories } = generateTrainingTrackers(
      { domain, stories: [story('dangling', [user('greet'), act('utter_hi'), checkpoint('nowhere')])], rules: [] },
      { logger: createLogger({ destination: logs }) },
    );
    expect(shape(stories[0])).toEqual(['a:action_listen', 'u:greet', 'a:utter_hi']);
    expect(lines.join('')).toContain("ends at checkpoint 'nowhere', but no story starts with it");
  });
});

describe('rule trackers', () => {
  it('prefixes a rule with the ... snippet and ends it with action_listen', () => {
    const { rules } = generate([], [rule('r', [user('greet'), act('utter_hi')])]);
    expect(shape(rules[0])).toEqual(['a:...', 'a:action_listen', 'u:greet', 'a:utter_hi', 'a:action_listen']);
    expect(rules[0].unpredictable.has(rules[0].events[0])).toBe(true);
  });

  it('does not add the snippet to conversation_start rules', () => {
    const { rules } = generate([], [rule('r', [user('greet'), act('utter_hi')], { conversationStart: true })]);
    expect(shape(rules[0])[0]).toBe('a:action_listen');
  });

  it('puts conditions before the snippet and writes null as should_not_be_set', () => {
    const { rules } = generate(
      [],
      [
        rule('submit', [act('trip_form'), { kind: 'active_loop', name: null }, { kind: 'slot_was_set', slots: [{ name: 'vip', value: null }] }, act('utter_ok')], {
          condition: [{ kind: 'active_loop', name: 'trip_form' }],
        }),
      ],
    );
    expect(shape(rules[0])).toEqual([
      'l:trip_form',
      'a:...',
      'a:trip_form',
      'l:should_not_be_set',
      's:vip="should_not_be_set"',
      'a:utter_ok',
      'a:action_listen',
    ]);
  });

  it('ends a rule that does not wait for the user with the snippet', () => {
    const { rules } = generate([], [rule('r', [user('greet'), act('utter_hi')], { waitForUserInput: false })]);
    expect(shape(rules[0]).slice(-2)).toEqual(['a:...', 'a:action_listen']);
  });

  it('keeps the rule name and location on each tracker', () => {
    const { rules } = generate([], [rule('greet rule', [{ kind: 'or', alternatives: [user('greet'), user('affirm')] }, act('utter_hi')])]);
    expect(rules).toHaveLength(2);
    expect(rules.every((tracker) => tracker.kind === 'rule' && tracker.name === 'greet rule')).toBe(true);
    expect(rules[0].origins[0].source).toEqual({ file: 'data/rules.yml', line: 2, column: 3 });
  });
});
