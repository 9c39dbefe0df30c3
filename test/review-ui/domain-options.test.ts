import { describe, expect, it } from 'vitest';
import { domainOptions, EMPTY_DOMAIN_OPTIONS, optionsFromConversation, withSeen } from '../../review-ui/src/domain-options.js';
import { conversation } from './fixtures.js';

describe('domainOptions', () => {
  it('reads intents, entities with roles and groups, and actions from the domain JSON', () => {
    const options = domainOptions({
      intents: ['greet', { inform: { use_entities: [] } }],
      entities: ['cuisine', { city: { roles: ['origin', 'destination'], groups: ['1'] } }],
      responses: { utter_greet: [{ text: 'Hi' }], utter_ask_city: [{ text: 'Where?' }] },
      actions: ['action_search', 'utter_greet'],
      forms: { booking_form: { required_slots: [] } },
    });
    expect(options.intents).toEqual(['greet', 'inform', 'nlu_fallback', 'out_of_scope']);
    expect(options.entities).toEqual([
      { name: 'city', roles: ['origin', 'destination'], groups: ['1'] },
      { name: 'cuisine', roles: [], groups: [] },
    ]);
    expect(options.actions).toEqual([
      'action_search',
      'booking_form',
      'utter_ask_city',
      'utter_greet',
      'action_listen',
      'action_default_fallback',
      'action_restart',
      'action_two_stage_fallback',
    ]);
  });

  it('gives nothing to choose from for something that is not a domain', () => {
    expect(domainOptions('nope')).toBe(EMPTY_DOMAIN_OPTIONS);
  });
});

describe('withSeen', () => {
  it('adds names seen in conversations that the domain lacks, sorted and once', () => {
    expect(withSeen(['greet', 'deny'], ['old_intent', 'greet', ''])).toEqual(['deny', 'greet', 'old_intent']);
  });
});

describe('optionsFromConversation', () => {
  it('offers the intents the model ranked and the entities and actions it produced', () => {
    const options = optionsFromConversation(conversation);
    expect(options.intents).toEqual(['greet', 'mood_great', 'mood_unhappy', 'nlu_fallback', 'out_of_scope']);
    expect(options.entities).toEqual([{ name: 'city', roles: [], groups: [] }]);
    expect(options.actions).toEqual(['action_default_fallback', 'utter_greet', 'utter_happy', 'action_listen', 'action_restart', 'action_two_stage_fallback']);
  });
});
