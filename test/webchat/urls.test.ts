import { describe, expect, it } from 'vitest';
import { isExternal, safeUrl } from '../../webchat/src/urls.js';

const BASE = 'https://bot.example/app/';

describe('safeUrl', () => {
  it('resolves relative URLs against the chat server', () => {
    expect(safeUrl('/img/a.png', 'image', BASE)).toBe('https://bot.example/img/a.png');
    expect(safeUrl('menu.pdf', 'link', BASE)).toBe('https://bot.example/app/menu.pdf');
  });

  it.each(['javascript:alert(1)', 'java\tscript:alert(1)', '\u0000javascript:alert(1)', ' JAVASCRIPT:x', 'vbscript:x', 'data:text/html,x', 'file:///etc/passwd'])(
    'refuses %j everywhere',
    (url) => {
      expect(safeUrl(url, 'link', BASE)).toBeNull();
      expect(safeUrl(url, 'image', BASE)).toBeNull();
      expect(safeUrl(url, 'media', BASE)).toBeNull();
    },
  );

  it('allows mail and phone links but not as media', () => {
    expect(safeUrl('mailto:a@b.example', 'link', BASE)).toBe('mailto:a@b.example');
    expect(safeUrl('tel:+4930123', 'link', BASE)).toBe('tel:+4930123');
    expect(safeUrl('mailto:a@b.example', 'image', BASE)).toBeNull();
  });

  it('allows inline images but no other inline data', () => {
    expect(safeUrl('data:image/png;base64,iVBORw0KGgo=', 'image', BASE)).toBe('data:image/png;base64,iVBORw0KGgo=');
    expect(safeUrl('data:image/svg+xml,<svg/>', 'image', BASE)).not.toBeNull();
    expect(safeUrl('data:image/png;base64,iVBORw0KGgo=', 'link', BASE)).toBeNull();
    expect(safeUrl('data:video/mp4;base64,AAAA', 'media', BASE)).toBeNull();
  });

  it('refuses what is not a usable URL string', () => {
    expect(safeUrl(42, 'link', BASE)).toBeNull();
    expect(safeUrl('', 'link', BASE)).toBeNull();
    expect(safeUrl('http://[broken', 'link', BASE)).toBeNull();
  });
});

describe('isExternal', () => {
  it('compares origins', () => {
    expect(isExternal('https://bot.example/x', 'https://bot.example')).toBe(false);
    expect(isExternal('https://other.example/x', 'https://bot.example')).toBe(true);
  });
});
