/** Constant-time lookups over a domain (built once per domain object and cached). */
import type { Domain, SlotDefinition } from '../shared/domain.js';

export interface DomainIndex {
  readonly intentNames: ReadonlySet<string>;
  readonly entityNames: ReadonlySet<string>;
  readonly retrievalIntents: ReadonlySet<string>;
  /** Action name (or end-to-end text) → index in `domain.actionNames`. */
  readonly actionIndex: ReadonlyMap<string, number>;
  readonly customActions: ReadonlySet<string>;
  readonly formNames: ReadonlySet<string>;
  readonly actionTexts: ReadonlySet<string>;
  readonly slots: ReadonlyMap<string, SlotDefinition>;
}

const cache = new WeakMap<Domain, DomainIndex>();

/** The index of `domain` (domains are frozen after loading, so the cache never goes stale). */
export function indexDomain(domain: Domain): DomainIndex {
  let index = cache.get(domain);
  if (!index) {
    const actionIndex = new Map<string, number>();
    domain.actionNames.forEach((name, position) => {
      if (!actionIndex.has(name)) actionIndex.set(name, position);
    });
    index = {
      intentNames: new Set(domain.intents.map((intent) => intent.name)),
      entityNames: new Set(domain.entities.map((entity) => entity.name)),
      retrievalIntents: new Set(domain.intents.filter((intent) => intent.isRetrievalIntent).map((intent) => intent.name)),
      actionIndex,
      customActions: new Set(domain.customActions),
      formNames: new Set(Object.keys(domain.forms)),
      actionTexts: new Set(domain.actionTexts),
      slots: new Map(domain.slots.map((slot) => [slot.name, slot])),
    };
    cache.set(domain, index);
  }
  return index;
}
