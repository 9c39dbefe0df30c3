/** Random ids. `crypto.getRandomValues` works on plain-http pages too, unlike `crypto.randomUUID`. */

/** 32 lowercase hex characters, the shape of the session ids Rasa generates. */
export function randomHexId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let id = '';
  for (const byte of bytes) id += byte.toString(16).padStart(2, '0');
  return id;
}
