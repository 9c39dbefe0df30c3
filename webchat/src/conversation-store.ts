/**
 * What the widget remembers between page loads: the session id, the transcript and whether the
 * initial payload went out for that session. Kept in localStorage, sessionStorage or nowhere.
 */
import { restoreItems, type ChatItem } from './transcript.js';

/** `local`: survives browser restarts; `session`: this tab only; `none`: every load starts afresh. */
export type StorageKind = 'local' | 'session' | 'none';

export interface StoredConversation {
  sessionId: string | null;
  items: ChatItem[];
  /** The session id the initial payload was sent for (it is sent once per conversation). */
  initialPayloadSentFor: string | null;
}

/** The part of the Web Storage API the store uses (tests pass a Map-backed one). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

function memoryStorage(): KeyValueStorage {
  const values = new Map<string, string>();
  return {
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, value),
    removeItem: (key) => void values.delete(key),
  };
}

/**
 * The browser storage for `kind`, or an in-memory one when it is `none` or unavailable (storage
 * access throws in some privacy modes and sandboxed frames).
 */
export function browserStorage(kind: StorageKind): KeyValueStorage {
  if (kind === 'none') return memoryStorage();
  try {
    const storage = kind === 'local' ? globalThis.localStorage : globalThis.sessionStorage;
    const probe = '__parley_probe__';
    storage.setItem(probe, probe);
    storage.removeItem(probe);
    return storage;
  } catch {
    return memoryStorage();
  }
}

export class ConversationStore {
  readonly #storage: KeyValueStorage;
  readonly #prefix: string;

  /** `namespace` keeps two widgets (for two servers) on one site apart. */
  constructor(storage: KeyValueStorage, namespace: string) {
    this.#storage = storage;
    this.#prefix = `parley-chat:${namespace}:`;
  }

  load(): StoredConversation {
    return {
      sessionId: this.#read('session'),
      items: restoreItems(this.#readJson('transcript')),
      initialPayloadSentFor: this.#read('initial-payload-sent'),
    };
  }

  saveSession(sessionId: string | null): void {
    this.#write('session', sessionId);
  }

  saveItems(items: readonly ChatItem[]): void {
    this.#write('transcript', items.length === 0 ? null : JSON.stringify(items));
  }

  markInitialPayloadSent(sessionId: string): void {
    this.#write('initial-payload-sent', sessionId);
  }

  /** Forget everything (a new conversation). */
  clear(): void {
    for (const key of ['session', 'transcript', 'initial-payload-sent']) this.#write(key, null);
  }

  #read(key: string): string | null {
    try {
      return this.#storage.getItem(this.#prefix + key);
    } catch {
      return null;
    }
  }

  #readJson(key: string): unknown {
    const text = this.#read(key);
    if (text === null) return null;
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  }

  #write(key: string, value: string | null): void {
    try {
      if (value === null) this.#storage.removeItem(this.#prefix + key);
      else this.#storage.setItem(this.#prefix + key, value);
    } catch {
      // A full or blocked storage costs the history, never the conversation itself.
    }
  }
}
