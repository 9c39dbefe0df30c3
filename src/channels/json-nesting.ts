/**
 * How deeply a client's JSON may nest. `JSON.parse` takes any depth, but everything that later
 * walks the value recursively (`JSON.stringify` of a tracker, a reply, a store row) overflows the
 * stack at a few thousand levels: a message that was accepted and stored would break its
 * conversation for good. So bodies and socket payloads nested deeper than this are refused up
 * front; real Rasa payloads nest fewer than ten levels.
 */
export const MAX_JSON_NESTING = 100;

/**
 * Whether JSON text opens more than `limit` arrays/objects inside each other (brackets inside
 * strings do not count). Linear and allocation-free, so it can run before `JSON.parse`.
 */
export function jsonTextNestsDeeperThan(text: string, limit: number = MAX_JSON_NESTING): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c) index += 1; // backslash: skip the escaped character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x5b || code === 0x7b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (code === 0x5d || code === 0x7d) {
      depth -= 1;
    }
  }
  return false;
}

/** Whether a decoded value (e.g. a socket.io payload) nests more than `limit` arrays/objects. */
export function valueNestsDeeperThan(value: unknown, limit: number = MAX_JSON_NESTING): boolean {
  const pending: Array<[unknown, number]> = [[value, 0]];
  const seen = new Set<object>();
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    if (ArrayBuffer.isView(current) || current instanceof ArrayBuffer) continue; // binary attachments are flat
    if (depth + 1 > limit) return true;
    seen.add(current);
    for (const child of Array.isArray(current) ? current : Object.values(current)) pending.push([child, depth + 1]);
  }
  return false;
}
