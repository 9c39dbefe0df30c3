import { beforeAll, describe, expect, it } from 'vitest';
import type { ActionContext } from '../../../src/core/actions/action.js';
import { FormAction } from '../../../src/core/actions/form-action.js';
import { ActionRegistry } from '../../../src/core/actions/registry.js';
import { RemoteAction } from '../../../src/core/actions/remote-action.js';
import { EndToEndResponseAction, ResponseAction, RetrievalResponseAction } from '../../../src/core/actions/response-actions.js';
import { actionExecuted, activeLoop, slotSet, userUttered } from '../../../src/core/events.js';
import { TemplatedNaturalLanguageGenerator } from '../../../src/core/nlg.js';
import type { PolicyTracker } from '../../../src/core/policies/types.js';
import { DialogueStateTracker } from '../../../src/core/tracker.js';
import { silentLogger } from '../../../src/logger.js';
import type { Domain } from '../../../src/shared/domain.js';
import type { TrackerEvent } from '../../../src/shared/events.js';
import { domainFromYaml } from '../helpers/domain.js';
import { describeEvents, setupProcessor } from '../helpers/processor-setup.js';
import { CollectingOutput, scriptedInterpreter } from '../helpers/scripted.js';

const DOMAIN_YAML = `
version: "3.1"
intents: [greet, inform]
slots:
  color:
    type: text
    mappings:
    - type: custom
responses:
  utter_greet:
  - text: "Hello!"
  utter_back:
  - text: "Going back"
  utter_ask_rephrase:
  - text: "Can you rephrase?"
  utter_default:
  - text: "I give up"
  utter_faq/hours:
  - text: "We open at nine"
actions:
  - action_restart
  - my_form
forms:
  my_form:
    required_slots: [color]
  built_in_form:
    required_slots: [color]
`;

let domain: Domain;
beforeAll(async () => {
  domain = await domainFromYaml(DOMAIN_YAML);
});

function context(events: TrackerEvent[], target = domain): ActionContext {
  return {
    tracker: DialogueStateTracker.fromEvents('ann', events, target.slots),
    domain: target,
    output: new CollectingOutput(),
    nlg: new TemplatedNaturalLanguageGenerator(target.responses),
    actions: new ActionRegistry(target, null),
    logger: silentLogger(),
  };
}

const user = (intent: string, ranking: Array<{ name: string; confidence: number }> = [], text = intent) =>
  userUttered({ text, parseData: { text, intent: { name: intent, confidence: 0.4 }, entities: [], intent_ranking: ranking } });

describe('action resolution', () => {
  it('resolves built-ins unless the domain overrides them, responses, forms, texts and custom actions', () => {
    const registry = new ActionRegistry(domain, null);
    expect(registry.actionFor('action_listen').constructor.name).toBe('ListenAction');
    expect(registry.actionFor('action_restart')).toBeInstanceOf(RemoteAction);
    expect(registry.actionFor('utter_greet')).toBeInstanceOf(ResponseAction);
    expect(registry.actionFor('built_in_form')).toBeInstanceOf(FormAction);
    expect(registry.actionFor('my_form')).toBeInstanceOf(RemoteAction);
    expect(registry.actionFor('action_extract_slots').constructor.name).toBe('ExtractSlotsAction');
    expect(registry.actionFor('action_listen')).toBe(registry.actionFor('action_listen'));
  });

  it('resolves end-to-end texts and retrieval responses', () => {
    const withExtras = { ...domain, actionNames: [...domain.actionNames, 'utter_faq', 'Nice to meet you'], actionTexts: ['Nice to meet you'], intents: [...domain.intents, { name: 'faq', usedEntities: [], useEntities: null, ignoreEntities: [], isRetrievalIntent: true }] };
    const registry = new ActionRegistry(withExtras, null);
    expect(registry.actionFor('utter_faq')).toBeInstanceOf(RetrievalResponseAction);
    expect(registry.actionFor('Nice to meet you')).toBeInstanceOf(EndToEndResponseAction);
  });

  it('names the unknown action and lists the available ones', () => {
    const registry = new ActionRegistry(domain, null);
    expect(() => registry.actionFor('action_nope')).toThrow(
      expect.objectContaining({
        code: 'PARLEY_ERR_ACTION_UNKNOWN',
        message: expect.stringMatching(/^Cannot access action 'action_nope', as that name is not a registered action for this domain\. Available actions are: 'action_listen'/),
      }),
    );
  });
});

describe('default actions (§5)', () => {
  it('action_session_start carries over every slot event of the applied events, metadata included', async () => {
    const events = [slotSet('color', 'red'), { ...slotSet('color', 'blue'), metadata: { model_id: 'old' } }];
    const result = await new ActionRegistry(domain, null).actionFor('action_session_start').run(context(events));
    expect(result).toMatchObject([
      { event: 'session_started' },
      { event: 'slot', name: 'color', value: 'red' },
      { event: 'slot', name: 'color', value: 'blue', metadata: { model_id: 'old' } },
      { event: 'action', name: 'action_listen', policy: null, confidence: null },
    ]);
  });

  it('action_deactivate_loop ends the loop and clears requested_slot', async () => {
    const result = await new ActionRegistry(domain, null).actionFor('action_deactivate_loop').run(context([activeLoop('built_in_form')]));
    expect(describeEvents(result)).toEqual(['active_loop:null', 'slot:requested_slot=null']);
  });

  it('action_back utters utter_back and rewinds twice', async () => {
    const result = await new ActionRegistry(domain, null).actionFor('action_back').run(context([]));
    expect(describeEvents(result)).toEqual(['bot:Going back', 'rewind', 'rewind']);
  });

  it('action_default_fallback only rewinds when there is no utter_default', async () => {
    const bare = await domainFromYaml('version: "3.1"\nintents: [greet]\n');
    const result = await new ActionRegistry(bare, null).actionFor('action_default_fallback').run(context([], bare));
    expect(describeEvents(result)).toEqual(['rewind']);
  });

  it('action_default_ask_affirmation asks about the runner-up intent after nlu_fallback', async () => {
    const ranking = [
      { name: 'nlu_fallback', confidence: 0.3 },
      { name: 'inform', confidence: 0.25 },
    ];
    const [bot] = await new ActionRegistry(domain, null).actionFor('action_default_ask_affirmation').run(context([user('nlu_fallback', ranking)]));
    expect(bot).toMatchObject({
      event: 'bot',
      text: "Did you mean 'inform'?",
      data: { buttons: [{ title: 'Yes', payload: '/inform' }, { title: 'No', payload: '/out_of_scope' }] },
      metadata: { utter_action: 'action_default_ask_affirmation' },
    });
  });

  it('action_unlikely_intent and action_listen do nothing', async () => {
    const registry = new ActionRegistry(domain, null);
    expect(await registry.actionFor('action_unlikely_intent').run(context([]))).toEqual([]);
    expect(await registry.actionFor('action_listen').run(context([]))).toEqual([]);
  });

  it('action_revert_fallback_events replaces a successful rephrasing with the clarified message', async () => {
    const events = [
      actionExecuted('action_listen'),
      user('nlu_fallback'),
      actionExecuted('action_default_ask_affirmation'),
      actionExecuted('action_listen'),
      user('out_of_scope'),
      actionExecuted('action_default_ask_rephrase'),
      actionExecuted('action_listen'),
      user('greet'),
    ];
    const result = await new ActionRegistry(domain, null).actionFor('action_revert_fallback_events').run(context(events));
    expect(describeEvents(result)).toEqual(['rewind', 'rewind', 'rewind', 'action:action_listen', 'user:greet']);
  });

  it('a retrieval action utters the response the selector picked', async () => {
    const message = userUttered({
      text: 'when do you open',
      parseData: {
        text: 'when do you open',
        intent: { name: 'faq', confidence: 1 },
        entities: [],
        response_selector: { faq: { response: { utter_action: 'utter_faq/hours' } } },
      },
    });
    const result = await new RetrievalResponseAction('utter_faq').run(context([message]));
    expect(result).toMatchObject([{ event: 'bot', text: 'We open at nine', metadata: { utter_action: 'utter_faq/hours' } }]);
  });
});

describe('two-stage fallback (§14)', () => {
  const interpreter = scriptedInterpreter({
    gibberish: { intent: 'nlu_fallback', confidence: 0.3, ranking: [{ name: 'nlu_fallback', confidence: 0.3 }, { name: 'greet', confidence: 0.2 }] },
    'more gibberish': { intent: 'nlu_fallback', confidence: 0.3, ranking: [{ name: 'nlu_fallback', confidence: 0.3 }, { name: 'inform', confidence: 0.2 }] },
    hello: { intent: 'greet' },
  });
  /** Like RulePolicy with the two-stage fallback rule and the loop happy path. */
  const decide = (tracker: PolicyTracker) => {
    const loop = tracker.activeLoop;
    const last = tracker.latestActionName;
    if (last === 'action_listen') {
      if (loop && !loop.rejected) return loop.name;
      const intent = tracker.latestMessage?.intent.name;
      if (intent === 'nlu_fallback') return 'action_two_stage_fallback';
      if (intent === 'greet') return 'utter_greet';
      return 'action_listen';
    }
    if (loop && last !== loop.name) return loop.name;
    return 'action_listen';
  };
  const from = (events: TrackerEvent[], text: string) =>
    describeEvents(events.slice(events.findIndex((event) => event.event === 'user' && event.text === text)));

  it('asks to affirm, then replaces the unclear message with the affirmed intent', async () => {
    const { send, stored, output, processor } = setupProcessor({ domain, interpreter, decide });
    await send('gibberish');
    expect(output.texts).toEqual(["Did you mean 'greet'?"]);
    await send('/greet');
    expect(from(await stored(), '/greet')).toEqual([
      'user:/greet',
      'user_featurization:false',
      'action:action_two_stage_fallback',
      'active_loop:null',
      'rewind',
      'action:action_listen',
      'user:/greet',
      'user_featurization:false',
      'action:utter_greet',
      'bot:Hello!',
      'action:action_listen',
    ]);
    const tracker = await processor.getTracker('ann');
    expect(describeEvents(tracker!.appliedEvents).filter((entry) => entry.startsWith('user'))).toEqual(['user:/greet', 'user_featurization:false']);
    expect(tracker!.latestMessage?.intent.confidence).toBe(1);
  });

  it('asks to rephrase after a denied affirmation', async () => {
    const { send, output } = setupProcessor({ domain, interpreter, decide });
    await send('gibberish');
    await send('/out_of_scope');
    expect(output.texts).toEqual(["Did you mean 'greet'?", 'Can you rephrase?']);
  });

  it('gives up with action_default_fallback after two fallbacks in a row', async () => {
    const { send, stored, output } = setupProcessor({ domain, interpreter, decide });
    await send('gibberish');
    await send('more gibberish');
    expect(from(await stored(), 'more gibberish')).toEqual([
      'user:more gibberish',
      'user_featurization:false',
      'action:action_two_stage_fallback',
      'active_loop:null',
      'bot:I give up',
      'rewind',
      'action:action_listen',
    ]);
    expect(output.texts).toEqual(["Did you mean 'greet'?", 'I give up']);
  });
});

describe('end-to-end bot texts', () => {
  it('log the text as action_text with no action name', async () => {
    const withText = { ...domain, actionNames: [...domain.actionNames, 'Nice to meet you'], actionTexts: ['Nice to meet you'] };
    const { send, stored, output } = setupProcessor({
      domain: withText,
      interpreter: scriptedInterpreter({ hello: { intent: 'greet' } }),
      decide: (tracker) => (tracker.latestActionName === 'action_listen' ? 'Nice to meet you' : 'action_listen'),
    });
    await send('hello');
    const action = (await stored()).find((event) => event.event === 'action' && event.action_text !== null);
    expect(action).toMatchObject({ name: null, action_text: 'Nice to meet you' });
    expect(output.texts).toEqual(['Nice to meet you']);
  });
});

describe('a form without a validation action', () => {
  const FORM_YAML = `
version: "3.1"
intents: [order, inform]
entities: [size]
slots:
  size:
    type: text
    mappings:
    - type: from_entity
      entity: size
responses:
  utter_ask_size:
  - text: "Which size?"
  utter_done:
  - text: "Order placed"
forms:
  order_form:
    required_slots: [size]
`;
  const decide = (tracker: PolicyTracker) => {
    const loop = tracker.activeLoop;
    const last = tracker.latestActionName;
    const intent = tracker.latestMessage?.intent.name;
    if (last === 'action_listen') {
      // Like a story "inform → order_form", with the ensemble's zeroing of a just-rejected action.
      const justRejected = tracker.appliedEvents.at(-1)?.event === 'action_execution_rejected';
      if (loop && (!loop.rejected || (intent === 'inform' && !justRejected))) return loop.name;
      return intent === 'order' ? 'order_form' : 'action_listen';
    }
    if (loop) return last === loop.name ? 'action_listen' : loop.name;
    return last === 'order_form' ? 'utter_done' : 'action_listen';
  };

  it('asks, rejects a turn that fills nothing, accepts the slot and ends', async () => {
    const formDomain = await domainFromYaml(FORM_YAML);
    const { send, stored, output } = setupProcessor({ domain: formDomain, decide, interpreter: scriptedInterpreter({ 'a pizza': { intent: 'order' } }) });
    await send('a pizza');
    await send('/inform');
    await send('/inform{"size": "large"}');
    const events = await stored();
    const from = (text: string) => describeEvents(events.slice(events.findIndex((event) => event.event === 'user' && event.text === text)));
    expect(from('a pizza').slice(0, 7)).toEqual([
      'user:a pizza',
      'user_featurization:false',
      'action:order_form',
      'active_loop:order_form',
      'slot:requested_slot="size"',
      'bot:Which size?',
      'action:action_listen',
    ]);
    expect(from('/inform').slice(0, 4)).toEqual(['user:/inform', 'rejected:order_form', 'user_featurization:false', 'action:action_listen']);
    expect(from('/inform{"size": "large"}')).toEqual([
      'user:/inform{"size": "large"}',
      'slot:size="large"',
      'user_featurization:false',
      'action:order_form',
      'slot:requested_slot=null',
      'active_loop:null',
      'action:utter_done',
      'bot:Order placed',
      'action:action_listen',
    ]);
    expect(output.texts).toEqual(['Which size?', 'Order placed']);
  });
});
