/**
 * Finds numbers in English text, as Duckling's `number` dimension does: digits ("4", "1,200",
 * "3.5", "-2") and number words ("two", "twenty one", "twenty-one", "a hundred and five",
 * "a dozen", "two dozen", "a couple", "5 thousand").
 */

export interface NumberMatch {
  start: number;
  end: number;
  text: string;
  value: number;
}

type Kind = 'unit' | 'teen' | 'ten' | 'hundred' | 'scale' | 'dozen' | 'couple' | 'and' | 'article';

const WORDS: Record<string, { kind: Kind; value: number }> = {
  zero: { kind: 'unit', value: 0 },
  one: { kind: 'unit', value: 1 },
  two: { kind: 'unit', value: 2 },
  three: { kind: 'unit', value: 3 },
  four: { kind: 'unit', value: 4 },
  five: { kind: 'unit', value: 5 },
  six: { kind: 'unit', value: 6 },
  seven: { kind: 'unit', value: 7 },
  eight: { kind: 'unit', value: 8 },
  nine: { kind: 'unit', value: 9 },
  ten: { kind: 'teen', value: 10 },
  eleven: { kind: 'teen', value: 11 },
  twelve: { kind: 'teen', value: 12 },
  thirteen: { kind: 'teen', value: 13 },
  fourteen: { kind: 'teen', value: 14 },
  fifteen: { kind: 'teen', value: 15 },
  sixteen: { kind: 'teen', value: 16 },
  seventeen: { kind: 'teen', value: 17 },
  eighteen: { kind: 'teen', value: 18 },
  nineteen: { kind: 'teen', value: 19 },
  twenty: { kind: 'ten', value: 20 },
  thirty: { kind: 'ten', value: 30 },
  forty: { kind: 'ten', value: 40 },
  fourty: { kind: 'ten', value: 40 },
  fifty: { kind: 'ten', value: 50 },
  sixty: { kind: 'ten', value: 60 },
  seventy: { kind: 'ten', value: 70 },
  eighty: { kind: 'ten', value: 80 },
  ninety: { kind: 'ten', value: 90 },
  hundred: { kind: 'hundred', value: 100 },
  thousand: { kind: 'scale', value: 1e3 },
  million: { kind: 'scale', value: 1e6 },
  billion: { kind: 'scale', value: 1e9 },
  trillion: { kind: 'scale', value: 1e12 },
  dozen: { kind: 'dozen', value: 12 },
  couple: { kind: 'couple', value: 2 },
  and: { kind: 'and', value: 0 },
  a: { kind: 'article', value: 0 },
  an: { kind: 'article', value: 0 },
};

/** Which word kinds may follow which inside one number phrase (`start` = phrase start). */
const FOLLOWS: Record<Kind | 'start' | 'digits', readonly Kind[]> = {
  start: ['unit', 'teen', 'ten', 'article', 'couple', 'dozen'],
  article: ['hundred', 'scale', 'dozen', 'couple'],
  digits: ['hundred', 'scale', 'dozen'],
  unit: ['hundred', 'scale', 'dozen'],
  teen: ['hundred', 'scale', 'dozen'],
  ten: ['unit', 'hundred', 'scale', 'dozen'],
  hundred: ['unit', 'teen', 'ten', 'scale', 'and'],
  scale: ['unit', 'teen', 'ten', 'hundred', 'and'],
  and: ['unit', 'teen', 'ten'],
  dozen: [],
  couple: [],
};

interface Piece {
  start: number;
  end: number;
  text: string;
  /** A number written with digits, or a number word's entry. */
  digits: number | null;
  word: { kind: Kind; value: number } | null;
}

const PIECES = /(?<![\p{L}\p{N}_.])-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\p{L}\p{N}_]|\.\d)|(?<![\p{L}\p{N}_])\.\d+(?![\p{L}\p{N}_])|\p{L}+/gu;

function piecesOf(text: string): Piece[] {
  const pieces: Piece[] = [];
  for (const match of text.matchAll(PIECES)) {
    const start = match.index ?? 0;
    const raw = match[0];
    const isDigits = /\d/.test(raw);
    pieces.push({
      start,
      end: start + raw.length,
      text: raw,
      digits: isDigits ? Number(raw.replace(/,/g, '')) : null,
      word: isDigits ? null : (WORDS[raw.toLowerCase()] ?? null),
    });
  }
  return pieces;
}

/** Two pieces belong to one phrase when only spaces (or a hyphen, in "twenty-one") separate them. */
function adjacent(text: string, previous: Piece, next: Piece): boolean {
  const gap = text.slice(previous.end, next.start);
  if (/^\s+$/u.test(gap)) return true;
  return gap === '-' && previous.word?.kind === 'ten' && next.word?.kind === 'unit';
}

/** Every number in the text, left to right, non-overlapping. */
export function findNumbers(text: string): NumberMatch[] {
  const pieces = piecesOf(text);
  const matches: NumberMatch[] = [];
  let index = 0;
  while (index < pieces.length) {
    const parsed = parsePhrase(text, pieces, index);
    if (parsed === null) {
      index++;
      continue;
    }
    matches.push(parsed.match);
    index = parsed.next;
  }
  return matches;
}

function parsePhrase(text: string, pieces: readonly Piece[], from: number): { match: NumberMatch; next: number } | null {
  let state: Kind | 'start' | 'digits' = 'start';
  let total = 0;
  let current = 0;
  let lastScale = Infinity;
  let hasNumber = false;
  let end = from;
  let cursor = from;
  for (; cursor < pieces.length; cursor++) {
    const piece = pieces[cursor];
    if (cursor > from && !adjacent(text, pieces[cursor - 1], piece)) break;
    if (piece.digits !== null) {
      if (state !== 'start') break;
      current = piece.digits;
      state = 'digits';
    } else {
      const word = piece.word;
      if (word === null || !FOLLOWS[state].includes(word.kind)) break;
      if (word.kind === 'and' && !nextIsSmallNumber(text, pieces, cursor)) break;
      if (word.kind === 'article' && !nextIs(text, pieces, cursor, ['hundred', 'scale', 'dozen', 'couple'])) break;
      if (word.kind === 'scale') {
        if (word.value >= lastScale) break;
        total += (current || 1) * word.value;
        current = 0;
        lastScale = word.value;
      } else if (word.kind === 'hundred') {
        if (current >= 100) break;
        current = (current || 1) * 100;
      } else if (word.kind === 'dozen') {
        current = (current || 1) * 12;
      } else if (word.kind !== 'and' && word.kind !== 'article') {
        current += word.value;
      }
      state = word.kind;
    }
    if (state !== 'and' && state !== 'article') {
      hasNumber = true;
      end = cursor + 1;
    }
  }
  if (!hasNumber) return null;
  const start = pieces[from].start;
  const stop = pieces[end - 1].end;
  return { match: { start, end: stop, text: text.slice(start, stop), value: total + current }, next: end };
}

function nextIs(text: string, pieces: readonly Piece[], index: number, kinds: readonly Kind[]): boolean {
  const next = pieces[index + 1];
  return next !== undefined && adjacent(text, pieces[index], next) && next.word !== null && kinds.includes(next.word.kind);
}

function nextIsSmallNumber(text: string, pieces: readonly Piece[], index: number): boolean {
  return nextIs(text, pieces, index, ['unit', 'teen', 'ten']);
}
