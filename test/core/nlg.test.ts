import { describe, expect, it } from 'vitest';
import { botUttered } from '../../src/core/events.js';
import { interpolateText } from '../../src/core/interpolation.js';
import {
  botMessageFromEvent,
  createBotUtterance,
  eligibleVariations,
  TemplatedNaturalLanguageGenerator,
} from '../../src/core/nlg.js';
import { pythonEquals, pythonFloatRepr, pythonStr, pythonTruthy } from '../../src/core/python-values.js';
import type { ResponseVariation } from '../../src/shared/domain.js';
import { capturingLogger } from './helpers/scripted.js';

const cond = (name: string, value: unknown) => [{ type: 'slot', name, value }];

describe('eligibleVariations (Rasa order: conditional+channel, channel, conditional, plain)', () => {
  const variations: ResponseVariation[] = [
    { text: 'plain' },
    { text: 'plain socketio', channel: 'socketio' },
    { text: 'vip', condition: cond('vip', true) },
    { text: 'vip socketio', channel: 'socketio', condition: cond('vip', true) },
    { text: 'vip collector', channel: 'collector', condition: cond('vip', true) },
  ];
  const texts = (channel: string, slots: Record<string, unknown>) =>
    eligibleVariations(variations, channel, slots).map((variation) => variation.text);

  it('prefers conditional variations for the channel, then plain ones for the channel', () => {
    expect(texts('socketio', { vip: true })).toEqual(['vip socketio']);
    expect(texts('socketio', { vip: false })).toEqual(['plain socketio']);
  });

  it('falls back to conditional variations without a channel, then plain ones', () => {
    expect(texts('rest', { vip: true })).toEqual(['vip']);
    expect(texts('rest', { vip: false })).toEqual(['plain']);
  });

  it('never uses a variation written for another channel', () => {
    expect(eligibleVariations([{ text: 'only slack', channel: 'slack' }], 'collector', {})).toEqual([]);
  });

  it('compares string conditions case-insensitively and other values strictly', () => {
    const byName = [{ text: 'hi straße', condition: cond('name', 'STRASSE') }];
    expect(eligibleVariations(byName, 'x', { name: 'straße' })).toHaveLength(1);
    const byBool = [{ text: 'yes', condition: cond('flag', true) }];
    expect(eligibleVariations(byBool, 'x', { flag: 'true' })).toHaveLength(0);
    expect(eligibleVariations(byBool, 'x', { flag: 1 })).toHaveLength(1);
  });

  it('requires every constraint of a condition', () => {
    const both = [{ text: 'both', condition: [...cond('a', 1), ...cond('b', 2)] }];
    expect(eligibleVariations(both, 'x', { a: 1, b: 3 })).toEqual([]);
    expect(eligibleVariations(both, 'x', { a: 1, b: 2 })).toHaveLength(1);
  });
});

describe('TemplatedNaturalLanguageGenerator', () => {
  it('picks among eligible variations with the injected random source', () => {
    const responses = { utter_hi: [{ text: 'one' }, { text: 'two' }, { text: 'three' }] };
    expect(new TemplatedNaturalLanguageGenerator(responses, { random: () => 0 }).generateFromSlots('utter_hi', {}, 'collector')?.text).toBe('one');
    expect(new TemplatedNaturalLanguageGenerator(responses, { random: () => 0.5 }).generateFromSlots('utter_hi', {}, 'collector')?.text).toBe('two');
    expect(new TemplatedNaturalLanguageGenerator(responses, { random: () => 0.999 }).generateFromSlots('utter_hi', {}, 'collector')?.text).toBe('three');
  });

  it('returns null for a missing response or when nothing fits', () => {
    const nlg = new TemplatedNaturalLanguageGenerator({ utter_slack: [{ text: 'x', channel: 'slack' }] });
    expect(nlg.generateFromSlots('utter_missing', {}, 'collector')).toBeNull();
    expect(nlg.generateFromSlots('utter_slack', {}, 'collector')).toBeNull();
  });

  it('fills slots and explicit variables into text, buttons, custom and image, leaving the domain untouched', () => {
    const responses: Record<string, ResponseVariation[]> = {
      utter_x: [
        {
          text: 'Hi {name}, {count} left',
          buttons: [{ title: 'Pick {name}', payload: '/pick{{"who":"{name}"}}' }],
          custom: { nested: { deep: ['{name}'] } },
          image: 'https://x.org/{name}.png',
        },
      ],
    };
    const nlg = new TemplatedNaturalLanguageGenerator(responses);
    const message = nlg.generateFromSlots('utter_x', { name: 'Ann', count: 2 }, 'collector', { count: 3 });
    expect(message).toEqual({
      text: 'Hi Ann, 3 left',
      buttons: [{ title: 'Pick Ann', payload: '/pick{"who":"Ann"}' }],
      custom: { nested: { deep: ['Ann'] } },
      image: 'https://x.org/Ann.png',
    });
    expect(responses.utter_x[0].text).toBe('Hi {name}, {count} left');
  });
});

describe('interpolateText', () => {
  it("prints values the way Python's str() does", () => {
    const text = interpolateText('{a}|{b}|{c}|{d}|{e}|{f}|{g}', { a: null, b: true, c: 2.5, d: ['x', 1], e: { k: false }, f: 7, g: 1e-5 });
    expect(text).toBe("None|True|2.5|['x', 1]|{'k': False}|7|1e-05");
  });

  it('turns {{ and }} into literal braces', () => {
    expect(interpolateText('/inform{{"insurance":"motor"}}', {})).toBe('/inform{"insurance":"motor"}');
    expect(interpolateText('{{name}}', { name: 'x' })).toBe('{name}');
    // Rasa quirk: an escaped placeholder next to a real one leaves the whole text as written.
    expect(interpolateText('{{name}} is {name}', { name: 'x' })).toBe('{{name}} is {name}');
  });

  it('returns the text unchanged and logs an error when a placeholder has no value', () => {
    const { logger, lines } = capturingLogger();
    expect(interpolateText('Hi {name} from {city}', { name: 'Ann' }, logger)).toBe('Hi {name} from {city}');
    const error = lines().find((line) => line.level === 50);
    expect(String(error?.msg)).toContain("'city'");
  });

  it('treats numeric placeholders and stray braces as unfillable rather than failing', () => {
    expect(interpolateText('{0} and {1}', { 0: 'a' })).toBe('{0} and {1}');
    expect(interpolateText('a } b {x}', { x: 1 })).toBe('a } b {x}');
    expect(interpolateText('no placeholders', {})).toBe('no placeholders');
  });

  it('keeps names with dots and spaces as whole variable names', () => {
    expect(interpolateText('{a.b} {c d}', { 'a.b': 1, 'c d': 2 })).toBe('1 2');
  });
});

describe('Python value helpers', () => {
  it("formats floats like Python's repr", () => {
    expect(pythonFloatRepr(2.5)).toBe('2.5');
    expect(pythonFloatRepr(0.1)).toBe('0.1');
    expect(pythonFloatRepr(1e16)).toBe('1e+16');
    expect(pythonFloatRepr(1.5e-7)).toBe('1.5e-07');
    expect(pythonFloatRepr(0.0001)).toBe('0.0001');
    expect(pythonFloatRepr(123456.789)).toBe('123456.789');
    expect(pythonFloatRepr(-3)).toBe('-3.0');
  });

  it('quotes strings inside containers like repr', () => {
    expect(pythonStr(["it's", 'a"b', 'new\nline'])).toBe(`["it's", 'a"b', 'new\\nline']`);
  });

  it('knows Python truthiness and equality', () => {
    expect([null, false, 0, '', [], {}].map(pythonTruthy)).toEqual([false, false, false, false, false, false]);
    expect([' ', [0], { a: 0 }, -1].map(pythonTruthy)).toEqual([true, true, true, true]);
    expect(pythonEquals(true, 1)).toBe(true);
    expect(pythonEquals({ a: [1, 2] }, { a: [1, 2] })).toBe(true);
    expect(pythonEquals('1', 1)).toBe(false);
    expect(pythonEquals(undefined, null)).toBe(true);
  });
});

describe('bot events and bot messages', () => {
  it('puts data keys into data and every other key into metadata', () => {
    const event = createBotUtterance({
      text: 'Hi',
      buttons: [{ title: 'A', payload: '/a' }],
      image: 'https://x.org/i.png',
      utter_action: 'utter_hi',
      id: 'v1',
      channel: 'socketio',
      metadata: { rephrase: true },
      custom_kwarg: 5,
    });
    expect(event.text).toBe('Hi');
    expect(event.data).toEqual({
      elements: null,
      quick_replies: null,
      buttons: [{ title: 'A', payload: '/a' }],
      attachment: 'https://x.org/i.png',
      image: 'https://x.org/i.png',
      custom: null,
    });
    expect(event.metadata).toEqual({ utter_action: 'utter_hi', id: 'v1', channel: 'socketio', metadata: { rephrase: true }, custom_kwarg: 5 });
  });

  it('keeps an explicit attachment instead of the image', () => {
    const event = createBotUtterance({ text: null, image: 'i.png', attachment: { type: 'file', url: 'f.pdf' } });
    expect(event.data.attachment).toEqual({ type: 'file', url: 'f.pdf' });
  });

  it('sends channels a flat message and drops an attachment that only repeats the image', () => {
    const event = { ...createBotUtterance({ text: 'Look', image: 'i.png', utter_action: 'utter_look' }), timestamp: 7 };
    expect(botMessageFromEvent(event)).toEqual({
      elements: null,
      quick_replies: null,
      buttons: null,
      attachment: null,
      image: 'i.png',
      custom: null,
      text: 'Look',
      timestamp: 7,
      utter_action: 'utter_look',
    });
  });

  it('keeps a real attachment in the flat message', () => {
    const message = botMessageFromEvent(botUttered('x', { attachment: 'doc.pdf', image: 'i.png' }));
    expect(message.attachment).toBe('doc.pdf');
  });
});
