/**
 * Merges the files of a `domain/` directory (or a single domain file) into one domain dict,
 * keeping where every definition was written.
 */
import type { SourceRef } from '../shared/domain.js';
import type { IssueCollector } from './issues.js';
import { locate } from './locations.js';
import type { YamlFile } from './yaml.js';

/** One schema-checked domain file. */
export interface DomainPart {
  file: YamlFile;
  data: Record<string, unknown>;
}

export interface Located<T> {
  value: T;
  source: SourceRef;
}

/** A list item of `intents`/`entities`/`actions`: a name or `{name: properties}`. */
export type NamedItem = string | Record<string, unknown>;

export interface MergedDomain {
  /** The merged dict as written (what `Domain.as_dict()` starts from), keys in file order. */
  raw: Record<string, unknown>;
  intents: Array<Located<NamedItem>>;
  entities: Array<Located<NamedItem>>;
  actions: Array<Located<NamedItem>>;
  slots: Map<string, Located<Record<string, unknown>>>;
  responses: Map<string, Located<unknown[]>>;
  forms: Map<string, Located<Record<string, unknown> | null>>;
  e2eActions: string[];
  sessionConfig: Record<string, unknown> | null;
  config: Record<string, unknown> | null;
}

const LIST_KEYS = ['intents', 'entities', 'actions'] as const;
const MAP_KEYS = ['slots', 'responses', 'forms'] as const;
/** The order in which Rasa lists duplicates in its warning. */
const DUPLICATE_ORDER = ['intents', 'forms', 'actions', 'e2e_actions', 'responses', 'slots', 'entities'] as const;
const DEFAULT_SESSION_CONFIG = { session_expiration_time: 60, carry_over_slots_to_new_session: true };

/** The name of a list item (the key of a one-key mapping). */
export function itemName(item: NamedItem): string {
  return typeof item === 'string' ? item : (Object.keys(item)[0] ?? '');
}

/**
 * Merges parts in order. As in Rasa, a name defined in an earlier file wins over a later one
 * (with one warning per kind listing the names), forms are removed from later `actions` lists,
 * `e2e_actions` are united and `session_config` comes from the first file that changes it.
 * Unlike Rasa, files are read in sorted order, so the result does not depend on the OS.
 */
export function mergeDomainParts(parts: readonly DomainPart[], issues: IssueCollector): MergedDomain {
  const merged: MergedDomain = {
    raw: {},
    intents: [],
    entities: [],
    actions: [],
    slots: new Map(),
    responses: new Map(),
    forms: new Map(),
    e2eActions: [],
    sessionConfig: null,
    config: null,
  };
  const duplicates = new Map<string, { names: string[]; source: SourceRef }>();
  const noteDuplicate = (key: string, name: string, source: SourceRef): void => {
    const entry = duplicates.get(key) ?? { names: [], source };
    if (!entry.names.includes(name)) entry.names.push(name);
    duplicates.set(key, entry);
  };

  parts.forEach(({ file, data }, partIndex) => {
    const first = partIndex === 0;
    for (const [key, value] of Object.entries(data)) {
      if (!(key in merged.raw)) merged.raw[key] = value;
    }
    for (const key of LIST_KEYS) {
      const known = new Set(merged[key].map((item) => itemName(item.value)));
      ((data[key] ?? []) as NamedItem[]).forEach((item, index) => {
        const name = itemName(item);
        const source = locate(file, [key, index]);
        if (!first && key === 'actions' && merged.forms.has(name)) return;
        if (!first && known.has(name)) {
          noteDuplicate(key, name, source);
          return;
        }
        known.add(name);
        merged[key].push({ value: item, source });
      });
    }
    for (const key of MAP_KEYS) {
      const target = merged[key] as Map<string, Located<unknown>>;
      for (const [name, value] of Object.entries((data[key] ?? {}) as Record<string, unknown>)) {
        const source = locate(file, [key, name], 'key');
        if (target.has(name)) {
          noteDuplicate(key, name, source);
          continue;
        }
        target.set(name, { value, source });
      }
    }
    for (const text of (data.e2e_actions ?? []) as string[]) {
      if (merged.e2eActions.includes(text)) {
        if (!first) noteDuplicate('e2e_actions', text, locate(file, ['e2e_actions']));
      } else {
        merged.e2eActions.push(text);
      }
    }
    const sessionConfig = data.session_config as Record<string, unknown> | null | undefined;
    if (
      sessionConfig !== undefined &&
      sessionConfig !== null &&
      (merged.sessionConfig === null || isDefaultSessionConfig(merged.sessionConfig)) &&
      (first || !isDefaultSessionConfig(sessionConfig))
    ) {
      merged.sessionConfig = sessionConfig;
    }
    if (merged.config === null && data.config !== undefined && data.config !== null) {
      merged.config = data.config as Record<string, unknown>;
    }
  });

  writeMergedLists(merged, parts.length > 1);
  for (const key of DUPLICATE_ORDER) {
    const entry = duplicates.get(key);
    if (!entry) continue;
    issues.warn(
      'PARLEY_WARN_DOMAIN_DUPLICATE',
      `The following duplicated ${key} have been found across multiple domain files: ${entry.names.join(', ')}. ` +
        'The definition read first is used.',
      entry.source,
    );
  }
  return merged;
}

function writeMergedLists(merged: MergedDomain, several: boolean): void {
  if (!several) return;
  const raw = merged.raw;
  for (const key of LIST_KEYS) if (key in raw) raw[key] = merged[key].map((item) => item.value);
  for (const key of MAP_KEYS) {
    if (key in raw) raw[key] = Object.fromEntries([...merged[key]].map(([name, item]) => [name, item.value]));
  }
  if ('e2e_actions' in raw) raw.e2e_actions = [...merged.e2eActions].sort();
  if (merged.sessionConfig !== null) raw.session_config = merged.sessionConfig;
}

export function isDefaultSessionConfig(config: Record<string, unknown>): boolean {
  const keys = Object.keys(config);
  return (
    keys.length === 2 &&
    config.session_expiration_time === DEFAULT_SESSION_CONFIG.session_expiration_time &&
    config.carry_over_slots_to_new_session === DEFAULT_SESSION_CONFIG.carry_over_slots_to_new_session
  );
}
