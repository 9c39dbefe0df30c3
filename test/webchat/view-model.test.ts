import { describe, expect, it } from 'vitest';
import { toBotViews } from '../../webchat/src/view-model.js';

const options = { baseUrl: 'https://bot.example/' };
const views = (payload: unknown) => toBotViews(payload, options);

describe('toBotViews with Socket.IO payloads (channels spec §2.7)', () => {
  it('shows {text} as a text view', () => {
    expect(views({ text: 'Hey! **How** are you?' })).toEqual([{ kind: 'text', text: 'Hey! **How** are you?' }]);
  });

  it('shows {text, quick_replies} as quick-reply choices with their payloads', () => {
    expect(
      views({
        text: 'Pick one',
        quick_replies: [
          { content_type: 'text', title: 'Great', payload: '/mood_great' },
          { content_type: 'text', title: 'Sad', payload: '/mood_sad' },
        ],
      }),
    ).toEqual([
      {
        kind: 'choices',
        text: 'Pick one',
        quickReplies: true,
        choices: [
          { title: 'Great', payload: '/mood_great', url: null },
          { title: 'Sad', payload: '/mood_sad', url: null },
        ],
      },
    ]);
  });

  it('keeps the buttons of an empty-text part and drops an empty text without buttons', () => {
    expect(views({ text: '', quick_replies: [{ title: 'Yes', payload: '/affirm' }] })).toMatchObject([
      { kind: 'choices', text: '', choices: [{ title: 'Yes', payload: '/affirm' }] },
    ]);
    expect(views({ text: '', quick_replies: [] })).toEqual([]);
    expect(views({ text: '   ' })).toEqual([]);
  });

  it('shows an image attachment, resolving a relative source against the server', () => {
    expect(views({ attachment: { type: 'image', payload: { src: '/static/cat.png', title: 'A cat' } } })).toEqual([
      { kind: 'image', src: 'https://bot.example/static/cat.png', alt: 'A cat' },
    ]);
  });

  it('shows video, audio and file attachments (src or url)', () => {
    expect(views({ attachment: { type: 'video', payload: { src: 'https://cdn.example/v.mp4', title: 'Tour' } } })).toEqual([
      { kind: 'video', src: 'https://cdn.example/v.mp4', title: 'Tour' },
    ]);
    expect(views({ attachment: { type: 'audio', payload: { url: 'https://cdn.example/a.mp3' } } })).toEqual([
      { kind: 'audio', src: 'https://cdn.example/a.mp3', title: '' },
    ]);
    expect(views({ attachment: { type: 'file', payload: { url: 'https://cdn.example/docs/menu%20card.pdf' } } })).toEqual([
      { kind: 'file', href: 'https://cdn.example/docs/menu%20card.pdf', name: 'menu card.pdf' },
    ]);
  });

  it('drops attachments whose URL could run script', () => {
    expect(views({ attachment: { type: 'image', payload: { src: 'javascript:alert(1)' } } })).toEqual([]);
    expect(views({ attachment: { type: 'video', payload: { src: 'data:text/html,<script>' } } })).toEqual([]);
    expect(views({ attachment: { type: 'file', payload: { url: 'vbscript:x' } } })).toEqual([]);
  });

  it('shows a generic template with an elements array as one carousel', () => {
    const [view] = views({
      attachment: {
        type: 'template',
        payload: {
          template_type: 'generic',
          elements: [
            {
              title: 'Latte',
              subtitle: 'Milky',
              image_url: 'https://cdn.example/latte.jpg',
              default_action: { type: 'web_url', url: 'https://shop.example/latte' },
              buttons: [
                { type: 'postback', title: 'Order', payload: '/order{"drink":"latte"}' },
                { type: 'web_url', title: 'Recipe', url: 'https://shop.example/recipe' },
              ],
            },
            { title: 'Espresso' },
          ],
        },
      },
    });
    expect(view).toEqual({
      kind: 'carousel',
      part: false,
      cards: [
        {
          title: 'Latte',
          subtitle: 'Milky',
          imageUrl: 'https://cdn.example/latte.jpg',
          url: 'https://shop.example/latte',
          buttons: [
            { title: 'Order', payload: '/order{"drink":"latte"}', url: null },
            { title: 'Recipe', payload: null, url: 'https://shop.example/recipe' },
          ],
        },
        { title: 'Espresso', subtitle: '', imageUrl: null, url: null, buttons: [] },
      ],
    });
  });

  it("marks Rasa's one-element-per-event carousel messages as parts", () => {
    expect(
      views({ attachment: { type: 'template', payload: { template_type: 'generic', elements: { title: 'Mocha' } } } }),
    ).toMatchObject([{ kind: 'carousel', part: true, cards: [{ title: 'Mocha' }] }]);
  });

  it('shows a button template as choices', () => {
    expect(
      views({
        attachment: { type: 'template', payload: { template_type: 'button', text: 'Sure?', buttons: [{ title: 'Yes', payload: '/affirm' }] } },
      }),
    ).toMatchObject([{ kind: 'choices', text: 'Sure?', quickReplies: false }]);
  });

  it('hands payloads with other keys, non-objects and unknown attachments to the page as custom', () => {
    expect(views({ type: 'map', lat: 52.5 })).toEqual([{ kind: 'custom', payload: { type: 'map', lat: 52.5 } }]);
    expect(views({ text: 'hi', extra: 1 })).toEqual([{ kind: 'custom', payload: { text: 'hi', extra: 1 } }]);
    expect(views(null)).toEqual([{ kind: 'custom', payload: null }]);
    expect(views(['a'])).toEqual([{ kind: 'custom', payload: ['a'] }]);
    expect(views({ attachment: { type: 'location', payload: {} } })).toEqual([
      { kind: 'custom', payload: { attachment: { type: 'location', payload: {} } } },
    ]);
  });

  it('ignores a metadata key next to the content', () => {
    expect(views({ text: 'hi', metadata: { linkTarget: '_self' } })).toEqual([{ kind: 'text', text: 'hi' }]);
  });
});

describe('toBotViews with REST answers (channels spec §3.4)', () => {
  it('shows {recipient_id, text, buttons} as button choices, title standing in for a missing payload', () => {
    expect(
      views({
        recipient_id: 'u1',
        text: 'Sure?',
        buttons: [{ title: 'Yes', payload: '/affirm', extra: 1 }, { title: 'No' }, { payload: '' }],
      }),
    ).toEqual([
      {
        kind: 'choices',
        text: 'Sure?',
        quickReplies: false,
        choices: [
          { title: 'Yes', payload: '/affirm', url: null },
          { title: 'No', payload: 'No', url: null },
        ],
      },
    ]);
  });

  it('shows {image} and a string attachment', () => {
    expect(views({ recipient_id: 'u1', image: 'https://cdn.example/a.png' })).toEqual([
      { kind: 'image', src: 'https://cdn.example/a.png', alt: '' },
    ]);
    expect(views({ recipient_id: 'u1', attachment: 'https://cdn.example/file.txt' })).toEqual([
      { kind: 'file', href: 'https://cdn.example/file.txt', name: 'file.txt' },
    ]);
  });

  it('renders custom.data like Socket.IO does, and hands other custom objects to the page', () => {
    expect(views({ recipient_id: 'u1', custom: { data: { text: 'from data' } } })).toEqual([
      { kind: 'text', text: 'from data' },
    ]);
    expect(views({ recipient_id: 'u1', custom: { some_random_arg: 'value' } })).toEqual([
      { kind: 'custom', payload: { some_random_arg: 'value' } },
    ]);
  });

  it('keeps the order text, custom, image, attachment, elements', () => {
    const kinds = views({
      recipient_id: 'u1',
      text: 'look',
      image: 'https://cdn.example/a.png',
      attachment: { type: 'video', payload: { src: 'https://cdn.example/v.mp4' } },
      elements: [{ title: 'A' }],
      custom: { x: 1 },
    }).map((view) => view.kind);
    expect(kinds).toEqual(['text', 'custom', 'image', 'video', 'carousel']);
  });

  it('drops link buttons with script URLs', () => {
    expect(views({ text: 't', buttons: [{ type: 'web_url', title: 'x', url: 'javascript:alert(1)' }] })).toEqual([
      { kind: 'choices', text: 't', quickReplies: false, choices: [] },
    ]);
  });
});
