/**
 * A small, safe Markdown reader for bot text: paragraphs, line breaks, lists, bold, italics,
 * strike-through, inline code, code blocks and links. It returns a tree of plain data; the view
 * renders it as DOM nodes with escaped text, so HTML in bot text can only ever show as text.
 */
import { safeUrl } from './urls.js';

export type InlineNode =
  | { type: 'text'; text: string }
  | { type: 'strong' | 'em' | 'del'; children: InlineNode[] }
  | { type: 'code'; text: string }
  | { type: 'link'; href: string; children: InlineNode[] }
  | { type: 'break' };

export type BlockNode =
  | { type: 'paragraph'; children: InlineNode[] }
  | { type: 'list'; ordered: boolean; start: number; items: InlineNode[][] }
  | { type: 'code'; text: string };

export interface MarkdownOptions {
  /** Relative links resolve against this URL (the chat server). */
  baseUrl: string;
}

/** Deeper nesting than this is shown as text; it only happens in hostile input. */
const MAX_DEPTH = 6;
/** Longer texts skip inline formatting, keeping the reader linear on any input. */
const MAX_FORMATTED_LENGTH = 20_000;

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const LIST_ITEM = /^ {0,3}(?:([-*+])|(\d{1,9})[.)])[ \t]+(.*)$/;
const HEADING = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const BLANK = /^[ \t]*$/;
const ESCAPABLE = /[!-/:-@[-`{-~]/;
const BARE_URL = /^https?:\/\/[^\s<>"]+/i;
const AUTOLINK = /^<((?:https?:\/\/|mailto:)[^\s<>]+)>/i;
const TRAILING_PUNCTUATION = /[.,:;!?'"*_~]+$/;

/**
 * Read `text` as Markdown.
 * @example parseMarkdown('**Hi** <b>x</b>', { baseUrl: 'https://bot.example/' })
 * // [{ type: 'paragraph', children: [{ type: 'strong', children: [{ type: 'text', text: 'Hi' }] },
 * //   { type: 'text', text: ' <b>x</b>' }] }]
 */
export function parseMarkdown(text: string, options: MarkdownOptions): BlockNode[] {
  const reader = new InlineReader(options.baseUrl, text.length <= MAX_FORMATTED_LENGTH);
  const blocks: BlockNode[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let paragraph: string[] = [];
  let list: { ordered: boolean; start: number; items: string[][] } | null = null;

  const flushParagraph = (): void => {
    if (paragraph.length > 0) blocks.push({ type: 'paragraph', children: reader.lines(paragraph) });
    paragraph = [];
  };
  const flushList = (): void => {
    if (list) {
      const items = list.items.map((item) => reader.lines(item));
      blocks.push({ type: 'list', ordered: list.ordered, start: list.start, items });
    }
    list = null;
  };

  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index];
    const fence = FENCE.exec(line);
    if (fence) {
      flushParagraph();
      flushList();
      const code: string[] = [];
      index += 1;
      while (index < lines.length && !lines[index].trimStart().startsWith(fence[1])) {
        code.push(lines[index]);
        index += 1;
      }
      blocks.push({ type: 'code', text: code.join('\n') });
      continue;
    }
    if (BLANK.test(line)) {
      flushParagraph();
      flushList();
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      flushParagraph();
      const ordered = item[2] !== undefined;
      if (list && list.ordered !== ordered) flushList();
      list ??= { ordered, start: ordered ? Number(item[2]) : 1, items: [] };
      list.items.push([item[3]]);
      continue;
    }
    if (list && /^[ \t]+\S/.test(line)) {
      list.items[list.items.length - 1].push(line.trim());
      continue;
    }
    flushList();
    const heading = HEADING.exec(line);
    if (heading) {
      flushParagraph();
      // Headings inside a chat bubble would disturb the page's outline; bold says enough.
      blocks.push({ type: 'paragraph', children: [{ type: 'strong', children: reader.inline(heading[1], 0) }] });
      continue;
    }
    paragraph.push(line.trim());
  }
  flushParagraph();
  flushList();
  return blocks;
}

/** Plain text of inline nodes (for labels and previews). */
export function inlineText(nodes: readonly InlineNode[]): string {
  return nodes
    .map((node) => {
      if (node.type === 'text' || node.type === 'code') return node.text;
      if (node.type === 'break') return '\n';
      return inlineText(node.children);
    })
    .join('');
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /[\p{L}\p{N}]/u.test(char);
}

function isSpace(char: string | undefined): boolean {
  return char === undefined || /\s/.test(char);
}

class InlineReader {
  readonly #baseUrl: string;
  readonly #format: boolean;

  constructor(baseUrl: string, format: boolean) {
    this.#baseUrl = baseUrl;
    this.#format = format;
  }

  /** Lines of one paragraph or list item, joined by line breaks (chat text means its newlines). */
  lines(lines: readonly string[]): InlineNode[] {
    const nodes: InlineNode[] = [];
    lines.forEach((line, index) => {
      if (index > 0) nodes.push({ type: 'break' });
      nodes.push(...this.inline(line, 0));
    });
    return mergeText(nodes);
  }

  inline(text: string, depth: number, insideLink = false): InlineNode[] {
    if (!this.#format || depth > MAX_DEPTH) return [{ type: 'text', text }];
    const nodes: InlineNode[] = [];
    let plain = '';
    const flush = (): void => {
      if (plain !== '') nodes.push({ type: 'text', text: plain });
      plain = '';
    };
    let index = 0;
    while (index < text.length) {
      const char = text[index];
      if (char === '\\' && index + 1 < text.length && ESCAPABLE.test(text[index + 1])) {
        plain += text[index + 1];
        index += 2;
        continue;
      }
      const found = this.#token(text, index, depth, insideLink);
      if (found) {
        flush();
        nodes.push(...found.nodes);
        index = found.end;
        continue;
      }
      plain += char;
      index += 1;
    }
    flush();
    return mergeText(nodes);
  }

  #token(
    text: string,
    index: number,
    depth: number,
    insideLink: boolean,
  ): { nodes: InlineNode[]; end: number } | null {
    const char = text[index];
    if (char === '`') return codeSpan(text, index);
    if (char === '[' && !insideLink) return this.#link(text, index, depth);
    if (char === '<' && !insideLink) return this.#autolink(text, index);
    if ((char === 'h' || char === 'H') && !insideLink && !isWordChar(text[index - 1])) {
      return this.#bareUrl(text, index);
    }
    if (char === '*' || char === '_' || char === '~') return this.#emphasis(text, index, depth, insideLink);
    return null;
  }

  #link(text: string, index: number, depth: number): { nodes: InlineNode[]; end: number } | null {
    const labelEnd = matchingBracket(text, index, '[', ']');
    if (labelEnd < 0 || text[labelEnd + 1] !== '(') return null;
    const targetEnd = matchingBracket(text, labelEnd + 1, '(', ')');
    if (targetEnd < 0) return null;
    const label = text.slice(index + 1, labelEnd);
    const target = text.slice(labelEnd + 2, targetEnd).trim();
    // `(url "title")` and `(<url>)`: the title is dropped, the angle brackets are not part of the URL.
    const destination = target.startsWith('<') ? target.slice(1).split('>')[0] : target.split(/\s+/)[0];
    const children = this.inline(label, depth + 1, true);
    const href = safeUrl(destination, 'link', this.#baseUrl);
    // An unsafe or broken link keeps its words and loses the link.
    if (href === null) return { nodes: children, end: targetEnd + 1 };
    return { nodes: [{ type: 'link', href, children }], end: targetEnd + 1 };
  }

  #autolink(text: string, index: number): { nodes: InlineNode[]; end: number } | null {
    const match = AUTOLINK.exec(text.slice(index));
    if (!match) return null;
    const href = safeUrl(match[1], 'link', this.#baseUrl);
    if (href === null) return null;
    const shown = match[1].replace(/^mailto:/i, '');
    return { nodes: [{ type: 'link', href, children: [{ type: 'text', text: shown }] }], end: index + match[0].length };
  }

  #bareUrl(text: string, index: number): { nodes: InlineNode[]; end: number } | null {
    const match = BARE_URL.exec(text.slice(index));
    if (!match) return null;
    let url = match[0].replace(TRAILING_PUNCTUATION, '');
    // A closing parenthesis belongs to the URL only when the URL opened one.
    while (url.endsWith(')') && count(url, '(') < count(url, ')')) url = url.slice(0, -1);
    const href = safeUrl(url, 'link', this.#baseUrl);
    if (href === null) return null;
    return { nodes: [{ type: 'link', href, children: [{ type: 'text', text: url }] }], end: index + url.length };
  }

  #emphasis(
    text: string,
    index: number,
    depth: number,
    insideLink: boolean,
  ): { nodes: InlineNode[]; end: number } | null {
    const char = text[index];
    const double = text[index + 1] === char;
    if (char === '~' && !double) return null;
    const delimiter = double ? char + char : char;
    const contentStart = index + delimiter.length;
    if (isSpace(text[contentStart])) return null;
    // `snake_case_words` are not emphasis: underscores must stand at a word boundary.
    if (char === '_' && isWordChar(text[index - 1])) return null;
    let close = text.indexOf(delimiter, contentStart + 1);
    while (close >= 0) {
      let run = 0;
      while (text[close + run] === char) run += 1;
      // A single `*` is not closed by a `**` run (that run belongs to nested bold).
      const closesHere =
        (double || run === 1) &&
        !isSpace(text[close - 1]) &&
        (char !== '_' || !isWordChar(text[close + run]));
      if (closesHere) {
        // `***both***`: the outer `**` closes on the last two stars, leaving `*both*` inside.
        if (double) close += run - 2;
        break;
      }
      close = text.indexOf(delimiter, close + run);
    }
    if (close < 0) return null;
    const type = char === '~' ? 'del' : double ? 'strong' : 'em';
    const children = this.inline(text.slice(contentStart, close), depth + 1, insideLink);
    return { nodes: [{ type, children }], end: close + delimiter.length };
  }
}

function codeSpan(text: string, index: number): { nodes: InlineNode[]; end: number } | null {
  let run = 0;
  while (text[index + run] === '`') run += 1;
  const fence = '`'.repeat(run);
  const close = text.indexOf(fence, index + run);
  if (close < 0) return { nodes: [{ type: 'text', text: fence }], end: index + run };
  const code = text.slice(index + run, close);
  const trimmed = code.length > 2 && code.startsWith(' ') && code.endsWith(' ') ? code.slice(1, -1) : code;
  return { nodes: [{ type: 'code', text: trimmed }], end: close + run };
}

/** Index of the bracket closing the one at `start`, honouring nesting and backslash escapes; -1 if none. */
function matchingBracket(text: string, start: number, open: string, close: string): number {
  let level = 0;
  for (let index = start; index < text.length; index += 1) {
    const char = text[index];
    if (char === '\\') {
      index += 1;
    } else if (char === open) {
      level += 1;
    } else if (char === close) {
      level -= 1;
      if (level === 0) return index;
    }
  }
  return -1;
}

function count(text: string, char: string): number {
  let total = 0;
  for (const each of text) if (each === char) total += 1;
  return total;
}

function mergeText(nodes: InlineNode[]): InlineNode[] {
  const merged: InlineNode[] = [];
  for (const node of nodes) {
    const last = merged[merged.length - 1];
    if (node.type === 'text' && last?.type === 'text') {
      merged[merged.length - 1] = { type: 'text', text: last.text + node.text };
    } else if (!(node.type === 'text' && node.text === '')) {
      merged.push(node);
    }
  }
  return merged;
}
