import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionContext } from '../../../src/core/actions/action.js';
import { parseActionEndpoint } from '../../../src/core/actions/action-server.js';
import { ExtractSlotsAction } from '../../../src/core/actions/extract-slots.js';
import { ActionRegistry } from '../../../src/core/actions/registry.js';
import { actionExecuted, activeLoop, actionExecutionRejected, slotSet, userUttered } from '../../../src/core/events.js';
import { TemplatedNaturalLanguageGenerator } from '../../../src/core/nlg.js';
import { DialogueStateTracker } from '../../../src/core/tracker.js';
import { silentLogger, type Logger } from '../../../src/logger.js';
import type { Domain } from '../../../src/shared/domain.js';
import type { TrackerEvent } from '../../../src/shared/events.js';
import type { Entity } from '../../../src/shared/nlu.js';
import { sdkSlot, startActionServer, utterResponse, type ActionServer, type SdkAction } from '../helpers/action-server.js';
import { domainFromYaml } from '../helpers/domain.js';
import { capturingLogger, CollectingOutput } from '../helpers/scripted.js';

const DOMAIN_YAML = `
version: "3.1"
intents: [inform, book, deny, chitchat, greet, request_booking]
entities:
  - city:
      roles: [from, to]
  - topping:
      groups: ["1", "2"]
  - name
  - number
slots:
  origin:
    type: text
    mappings:
    - type: from_entity
      entity: city
      role: from
  destination:
    type: text
    mappings:
    - type: from_entity
      entity: city
      role: to
  any_city:
    type: text
    mappings:
    - type: from_entity
      entity: city
  first_toppings:
    type: list
    mappings:
    - type: from_entity
      entity: topping
      group: "1"
  last_topping:
    type: text
    mappings:
    - type: from_entity
      entity: topping
      group: "1"
  person:
    type: text
    mappings:
    - type: from_entity
      entity: name
      not_intent: chitchat
  booked:
    type: bool
    mappings:
    - type: from_intent
      intent: book
      value: true
    - type: from_intent
      intent: deny
      value: false
  greeting:
    type: text
    mappings:
    - type: from_text
      intent: greet
      conditions:
      - active_loop: null
  note:
    type: text
    mappings:
    - type: from_text
      conditions:
      - active_loop: booking_form
        requested_slot: note
  started_by:
    type: text
    mappings:
    - type: from_trigger_intent
      intent: request_booking
      value: booking
  guests:
    type: float
    mappings:
    - type: from_entity
      entity: number
  children:
    type: float
    mappings:
    - type: from_entity
      entity: number
  loyalty:
    type: text
    mappings:
    - type: custom
      action: action_lookup_loyalty
  nickname:
    type: text
    mappings:
    - type: custom
      action: action_lookup_loyalty
forms:
  booking_form:
    ignored_intents: [chitchat]
    required_slots: [guests, children, note]
actions:
  - action_lookup_loyalty
`;

let domain: Domain;
beforeAll(async () => {
  domain = await domainFromYaml(DOMAIN_YAML);
});

function message(intent: string, entities: Entity[] = [], text = 'text of the message'): TrackerEvent {
  return userUttered({ text, parseData: { text, intent: { name: intent, confidence: 1 }, entities } });
}

function tracker(events: TrackerEvent[], slots: Domain['slots'] = domain.slots): DialogueStateTracker {
  return DialogueStateTracker.fromEvents('ann', [actionExecuted('action_listen'), ...events], slots);
}

function context(target: DialogueStateTracker, options: { domain?: Domain; url?: string; logger?: Logger } = {}): ActionContext {
  const used = options.domain ?? domain;
  return {
    tracker: target,
    domain: used,
    output: new CollectingOutput(),
    nlg: new TemplatedNaturalLanguageGenerator(used.responses),
    actions: new ActionRegistry(used, options.url ? parseActionEndpoint({ url: options.url }) : null),
    logger: options.logger ?? silentLogger(),
  };
}

async function extract(events: TrackerEvent[], options: Parameters<typeof context>[1] = {}): Promise<Array<[string, unknown]>> {
  const result = await new ExtractSlotsAction().run(context(tracker(events), options));
  return result.flatMap((event) => (event.event === 'slot' ? [[event.name, event.value] as [string, unknown]] : []));
}

const inForm = (requested: string | null): TrackerEvent[] => [activeLoop('booking_form'), slotSet('requested_slot', requested)];

describe('action_extract_slots with predefined mappings (§9)', () => {
  it('matches entities by role and group exactly (no role on the mapping means no role on the entity)', async () => {
    const slots = await extract([
      message('inform', [
        { entity: 'city', value: 'Berlin', role: 'from' },
        { entity: 'city', value: 'Paris', role: 'to' },
        { entity: 'topping', value: 'ham', group: '1' },
        { entity: 'topping', value: 'egg', group: '2' },
        { entity: 'topping', value: 'olive', group: '1' },
      ]),
    ]);
    expect(slots).toEqual([
      ['origin', 'Berlin'],
      ['destination', 'Paris'],
      ['first_toppings', ['ham', 'olive']],
      ['last_topping', 'olive'],
    ]);
  });

  it('fills a mapping without role from an entity without role', async () => {
    expect(await extract([message('inform', [{ entity: 'city', value: 'Rome' }])])).toEqual([['any_city', 'Rome']]);
  });

  it('honours not_intent', async () => {
    expect(await extract([message('inform', [{ entity: 'name', value: 'Ann' }])])).toEqual([['person', 'Ann']]);
    expect(await extract([message('chitchat', [{ entity: 'name', value: 'Ann' }])])).toEqual([]);
  });

  it('uses the first mapping that yields a value and skips intents a mapping does not list', async () => {
    expect(await extract([message('book')])).toEqual([['booked', true]]);
    expect(await extract([message('deny')])).toEqual([['booked', false]]);
    expect(await extract([message('inform')])).toEqual([]);
  });

  it('sets a slot again even when the value does not change', async () => {
    expect(await extract([slotSet('booked', true), message('book')])).toEqual([['booked', true]]);
  });

  it('applies active_loop: null conditions only while no loop is active', async () => {
    expect(await extract([message('greet', [], 'hello there')])).toEqual([['greeting', 'hello there']]);
    expect(await extract([...inForm('guests'), message('greet', [], 'hello there')])).toEqual([]);
  });

  it('applies form conditions only for the requested slot of the active form', async () => {
    expect(await extract([...inForm('note'), message('inform', [], 'window seat')])).toEqual([['note', 'window seat']]);
    expect(await extract([...inForm('guests'), message('inform', [], 'window seat')])).toEqual([]);
    expect(await extract([message('inform', [], 'window seat')])).toEqual([]);
  });

  it("ignores the active form's ignored_intents", async () => {
    expect(await extract([...inForm('note'), message('chitchat', [], 'how are you')])).toEqual([]);
  });

  it('does not re-fill the requested slot of a rejected form through conditional mappings', async () => {
    const events = [...inForm('note'), message('inform', [], 'x'), actionExecutionRejected('booking_form')];
    expect(await extract(events)).toEqual([]);
  });

  it('fills from_trigger_intent mappings only while a form is active', async () => {
    expect(await extract([message('request_booking')])).toEqual([]);
    expect(await extract([...inForm(null), message('request_booking')])).toEqual([['started_by', 'booking']]);
  });

  it('applies the unique-entity rule: a shared entity mapping fills only the requested slot of the form', async () => {
    const number = [{ entity: 'number', value: 4 }];
    expect(await extract([message('inform', number)])).toEqual([
      ['guests', 4],
      ['children', 4],
    ]);
    expect(await extract([...inForm('children'), message('inform', number)])).toEqual([['children', 4]]);
    expect(await extract([...inForm('note'), message('inform', number)])).toEqual([['note', 'text of the message']]);
  });

  it('skips a mapping whose entity the domain lacks, with a warning', async () => {
    const withBroken = {
      ...domain,
      slots: [...domain.slots, { name: 'broken', type: 'text' as const, influenceConversation: false, initialValue: null, mappings: [{ type: 'from_entity' as const, entity: 'ghost' }] }],
    };
    const { logger, lines } = capturingLogger();
    const result = await new ExtractSlotsAction().run(
      context(tracker([message('inform', [{ entity: 'ghost', value: 'boo' }])], withBroken.slots), { domain: withBroken, logger }),
    );
    expect(result).toEqual([]);
    expect(lines().some((line) => line.event === 'slot_mapping.entity.unknown')).toBe(true);
  });
});

describe('action_extract_slots with custom actions', () => {
  let server: ActionServer;
  const behaviour: Record<string, SdkAction> = {};

  beforeAll(async () => {
    server = await startActionServer({
      action_lookup_loyalty: (request) => behaviour.action_lookup_loyalty(request),
      action_validate_slot_mappings: (request) => behaviour.action_validate_slot_mappings(request),
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('runs a custom mapping action once per turn and keeps only its slot events', async () => {
    server.requests.length = 0;
    behaviour.action_lookup_loyalty = () => ({
      events: [sdkSlot('loyalty', 'gold'), { event: 'followup', timestamp: null, name: 'utter_x' }],
      responses: [{ text: 'looked you up' }],
    });
    expect(await extract([message('inform')], { url: server.url })).toEqual([['loyalty', 'gold']]);
    expect(server.requests.filter((request) => request.body.next_action === 'action_lookup_loyalty')).toHaveLength(1);
  });

  it('turns a failing custom mapping action into a warning', async () => {
    behaviour.action_lookup_loyalty = () => ({ status: 500, body: {} });
    const { logger, lines } = capturingLogger();
    expect(await extract([message('book')], { url: server.url, logger })).toEqual([['booked', true]]);
    expect(lines().some((line) => line.event === 'slot_mapping.custom_action.failed')).toBe(true);
  });

  it('lets action_validate_slot_mappings reject and replace candidates, keeping its bot messages', async () => {
    const validating = await domainFromYaml(DOMAIN_YAML.replace('  - action_lookup_loyalty', '  - action_lookup_loyalty\n  - action_validate_slot_mappings'));
    behaviour.action_lookup_loyalty = () => ({ events: [] });
    behaviour.action_validate_slot_mappings = () => ({
      events: [sdkSlot('destination', null), sdkSlot('any_city', 'ROME')],
      responses: [{ text: 'Paris is not served' }, utterResponse('utter_missing')],
    });
    server.requests.length = 0;
    const target = DialogueStateTracker.fromEvents(
      'ann',
      [actionExecuted('action_listen'), message('inform', [{ entity: 'city', value: 'Paris', role: 'to' }, { entity: 'city', value: 'Rome' }, { entity: 'name', value: 'Ann' }])],
      validating.slots,
    );
    const result = await new ExtractSlotsAction().run(context(target, { domain: validating, url: server.url }));
    expect(result.map((event) => (event.event === 'slot' ? `${event.name}=${String(event.value)}` : event.event === 'bot' ? `bot:${event.text}` : event.event))).toEqual([
      'bot:Paris is not served',
      'destination=null',
      'any_city=ROME',
      'person=Ann',
    ]);
    const request = server.requests.find((entry) => entry.body.next_action === 'action_validate_slot_mappings')!.body;
    expect(request.tracker.events.slice(-3)).toMatchObject([
      { event: 'slot', name: 'destination', value: 'Paris' },
      { event: 'slot', name: 'any_city', value: 'Rome' },
      { event: 'slot', name: 'person', value: 'Ann' },
    ]);
  });
});
