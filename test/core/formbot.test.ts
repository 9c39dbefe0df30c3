/**
 * The formbot fixture end to end: the built-in form loop, slot mappings with conditions, and
 * `validate_restaurant_form` on a real local action server speaking the Rasa SDK protocol.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseActionEndpoint } from '../../src/core/actions/action-server.js';
import type { PolicyTracker } from '../../src/core/policies/types.js';
import type { Domain } from '../../src/shared/domain.js';
import type { TrackerEvent } from '../../src/shared/events.js';
import { sdkSlot, slotsToValidate, startActionServer, validateRestaurantForm, type ActionServer, type SdkAction } from './helpers/action-server.js';
import { fixtureDomain } from './helpers/domain.js';
import { describeEvents, setupProcessor } from './helpers/processor-setup.js';
import { scriptedInterpreter } from './helpers/scripted.js';

const interpreter = scriptedInterpreter({
  'I need a restaurant': { intent: 'request_restaurant' },
  'a table for two with chinese food': {
    intent: 'request_restaurant',
    entities: [
      { entity: 'number', value: 2, extractor: 'DucklingEntityExtractor' },
      { entity: 'cuisine', value: 'chinese', extractor: 'DIETClassifier' },
    ],
  },
  chinese: { intent: 'inform', entities: [{ entity: 'cuisine', value: 'chinese' }] },
  swedish: { intent: 'inform', entities: [{ entity: 'cuisine', value: 'swedish' }] },
  'for two people': { intent: 'inform', entities: [{ entity: 'number', value: 2 }] },
  yes: { intent: 'affirm' },
  no: { intent: 'deny' },
  'it was great': { intent: 'inform', entities: [{ entity: 'feedback', value: 'great' }] },
  'how are you': { intent: 'chitchat' },
  stop: { intent: 'stop' },
});

/** What formbot's rules make RulePolicy do (with Rasa's rejection handling in the ensemble). */
function formbotRules(tracker: PolicyTracker): string {
  const loop = tracker.activeLoop;
  const last = tracker.latestActionName;
  if (last === 'action_listen') {
    const intent = tracker.latestMessage?.intent.name;
    if (loop && !loop.rejected) return loop.name;
    if (intent === 'chitchat') return 'utter_chitchat';
    if (intent === 'stop') return 'action_deactivate_loop';
    if (intent === 'request_restaurant') return 'restaurant_form';
    return 'action_listen';
  }
  if (loop) return last === loop.name ? 'action_listen' : loop.name;
  if (last === 'restaurant_form') return 'utter_submit';
  if (last === 'utter_submit') return 'utter_slots_values';
  return 'action_listen';
}

let domain: Domain;
let server: ActionServer;
const actions: Record<string, SdkAction> = { validate_restaurant_form: validateRestaurantForm };

beforeAll(async () => {
  domain = await fixtureDomain('formbot');
  server = await startActionServer({
    validate_restaurant_form: (request) => actions.validate_restaurant_form(request),
  });
});
afterAll(async () => {
  await server.close();
});

function setup() {
  server.requests.length = 0;
  actions.validate_restaurant_form = validateRestaurantForm;
  return setupProcessor({ domain, interpreter, decide: formbotRules, actionEndpoint: parseActionEndpoint({ url: server.url }) });
}

/** The events of the latest turn, from its user message on. */
function lastTurn(events: TrackerEvent[]): string[] {
  return describeEvents(events.slice(events.findLastIndex((event) => event.event === 'user')));
}

describe('formbot with validate_restaurant_form on an action server', () => {
  it('fills the form on the happy path, then submits', async () => {
    const { send, stored, output, processor } = setup();
    await send('I need a restaurant');
    expect(lastTurn(await stored())).toEqual([
      'user:I need a restaurant',
      'user_featurization:false',
      'action:restaurant_form',
      'active_loop:restaurant_form',
      'slot:requested_slot="cuisine"',
      'bot:What cuisine?',
      'action:action_listen',
    ]);

    await send('chinese');
    expect(lastTurn(await stored())).toEqual([
      'user:chinese',
      'slot:cuisine="chinese"',
      'user_featurization:false',
      'action:restaurant_form',
      'slot:cuisine="chinese"',
      'slot:requested_slot="num_people"',
      'bot:How many people?',
      'action:action_listen',
    ]);

    await send('for two people');
    await send('yes');
    expect(lastTurn(await stored())).toContain('slot:outdoor_seating=true');
    await send('no');
    expect(lastTurn(await stored())).toContain('slot:preferences="no additional preferences"');
    await send('it was great');
    expect(lastTurn(await stored())).toEqual([
      'user:it was great',
      'slot:feedback="great"',
      'user_featurization:false',
      'action:restaurant_form',
      'slot:feedback="great"',
      'slot:requested_slot=null',
      'active_loop:null',
      'action:utter_submit',
      'bot:All done!',
      'action:utter_slots_values',
      expect.stringContaining('bot:I am going to run a restaurant search'),
      'action:action_listen',
    ]);
    expect(output.texts.at(-1)).toContain('- cuisine: chinese');
    expect(output.texts.at(-1)).toContain('- num_people: 2');
    expect(output.texts.at(-1)).toContain('- outdoor_seating: True');
    const tracker = await processor.getTracker('ann');
    expect(tracker?.activeLoop).toBeNull();
    expect(tracker?.slots).toMatchObject({ cuisine: 'chinese', num_people: 2, outdoor_seating: true, feedback: 'great', requested_slot: null });
  });

  it('sends the validator the candidates as the trailing slot events, after the form action', async () => {
    const { send } = setup();
    await send('I need a restaurant');
    await send('chinese');
    const request = server.requests.at(-1)!.body;
    expect(request.next_action).toBe('validate_restaurant_form');
    expect(request.sender_id).toBe('ann');
    expect(request.version).toMatch(/^3\.6\./);
    expect(request.domain).toMatchObject({ forms: { restaurant_form: expect.any(Object) } });
    expect(request.tracker.events.slice(-3)).toMatchObject([
      { event: 'slot', name: 'requested_slot', value: 'cuisine' },
      { event: 'action', name: 'restaurant_form' },
      { event: 'slot', name: 'cuisine', value: 'chinese' },
    ]);
    expect([...slotsToValidate(request)]).toEqual([['cuisine', 'chinese']]);
  });

  it('validates slots that are already filled when the form activates', async () => {
    const { send, stored } = setup();
    await send('a table for two with chinese food');
    expect(lastTurn(await stored())).toEqual([
      'user:a table for two with chinese food',
      'slot:cuisine="chinese"',
      'slot:num_people=2',
      'user_featurization:false',
      'action:restaurant_form',
      'active_loop:restaurant_form',
      'slot:cuisine="chinese"',
      'slot:num_people=2',
      'slot:requested_slot="outdoor_seating"',
      'bot:Do you want to sit outside?',
      'action:action_listen',
    ]);
  });

  it('re-asks for a cuisine the validator rejects', async () => {
    const { send, stored, output } = setup();
    await send('I need a restaurant');
    await send('swedish');
    expect(lastTurn(await stored())).toEqual([
      'user:swedish',
      'slot:cuisine="swedish"',
      'user_featurization:false',
      'action:restaurant_form',
      'bot:Cuisine type is not in the database, please try again',
      'slot:cuisine=null',
      'slot:requested_slot="cuisine"',
      'bot:What cuisine?',
      'action:action_listen',
    ]);
    expect(output.texts.slice(-2)).toEqual(['Cuisine type is not in the database, please try again', 'What cuisine?']);
    const bot = (await stored()).find((event) => event.event === 'bot' && event.text?.startsWith('Cuisine'));
    expect(bot?.metadata).toMatchObject({ utter_action: 'utter_wrong_cuisine' });
  });

  it('handles an interruption: rejection, chitchat, then back to the form without validating', async () => {
    const { send, stored } = setup();
    await send('I need a restaurant');
    const validationCalls = server.requests.length;
    await send('how are you');
    expect(lastTurn(await stored())).toEqual([
      'user:how are you',
      'rejected:restaurant_form',
      'user_featurization:false',
      'action:utter_chitchat',
      'bot:chitchat',
      'action:restaurant_form',
      'slot:requested_slot="cuisine"',
      'bot:What cuisine?',
      'action:action_listen',
    ]);
    const rejection = (await stored()).find((event) => event.event === 'action_execution_rejected');
    expect(rejection).toMatchObject({ name: 'restaurant_form', policy: 'RulePolicy', confidence: 1 });
    // One call with no candidates when the user interrupted, one when coming back to the form.
    expect(server.requests.length - validationCalls).toBe(2);
    expect(server.requests.at(-1)!.body.tracker.events.at(-1)).toMatchObject({ event: 'action', name: 'restaurant_form' });
    await send('chinese');
    expect(lastTurn(await stored())).toContain('slot:requested_slot="num_people"');
  });

  it('ends the form with action_deactivate_loop', async () => {
    const { send, stored, processor } = setup();
    await send('I need a restaurant');
    await send('stop');
    expect(lastTurn(await stored())).toEqual([
      'user:stop',
      'rejected:restaurant_form',
      'user_featurization:false',
      'action:action_deactivate_loop',
      'active_loop:null',
      'slot:requested_slot=null',
      'action:action_listen',
    ]);
    expect((await processor.getTracker('ann'))?.activeLoop).toBeNull();
  });

  it('ends the form early when the validator sets requested_slot to null', async () => {
    const { send, stored } = setup();
    await send('I need a restaurant');
    actions.validate_restaurant_form = (request) => ({
      events: [...[...slotsToValidate(request)].map(([name, value]) => sdkSlot(name, value)), sdkSlot('requested_slot', null)],
    });
    await send('chinese');
    expect(lastTurn(await stored())).toEqual([
      'user:chinese',
      'slot:cuisine="chinese"',
      'user_featurization:false',
      'action:restaurant_form',
      'slot:cuisine="chinese"',
      'slot:requested_slot=null',
      'slot:requested_slot=null',
      'active_loop:null',
      'action:utter_submit',
      'bot:All done!',
      'action:utter_slots_values',
      expect.stringContaining('bot:I am going to run'),
      'action:action_listen',
    ]);
  });

  it('asks for the slot the validator requests next', async () => {
    const { send, stored } = setup();
    actions.validate_restaurant_form = (request) => ({
      events: [...[...slotsToValidate(request)].map(([name, value]) => sdkSlot(name, value)), sdkSlot('requested_slot', 'feedback')],
    });
    await send('I need a restaurant');
    expect(lastTurn(await stored())).toEqual([
      'user:I need a restaurant',
      'user_featurization:false',
      'action:restaurant_form',
      'active_loop:restaurant_form',
      'slot:requested_slot="feedback"',
      'bot:Please give your feedback on your experience so far',
      'action:action_listen',
    ]);
  });

  it('lets a validator reject the form run manually: only its events are logged', async () => {
    const { send, stored } = setup();
    await send('I need a restaurant');
    actions.validate_restaurant_form = () => ({
      events: [{ event: 'action_execution_rejected', timestamp: null, name: 'restaurant_form', policy: null, confidence: null }],
    });
    await send('chinese');
    const turn = lastTurn(await stored());
    // The policy events of that prediction are dropped with the action event, as in Rasa.
    expect(turn).toEqual(['user:chinese', 'slot:cuisine="chinese"', 'rejected:restaurant_form', 'user_featurization:false', 'action:action_listen']);
    expect(turn).not.toContain('action:restaurant_form');
  });
});
