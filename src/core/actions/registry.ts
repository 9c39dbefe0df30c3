/**
 * Resolves action names to actions (Rasa's `action_for_name_or_text`): built-in defaults unless
 * the domain overrides them, retrieval responses, end-to-end texts, `utter_*` responses, the
 * built-in form loop, and custom actions on the action server.
 */
import { ParleyError } from '../../errors.js';
import type { Domain } from '../../shared/domain.js';
import { indexDomain } from '../domain-index.js';
import type { Action, ActionResolver } from './action.js';
import type { ActionEndpointConfig } from './action-server.js';
import {
  AskAffirmationAction,
  AskRephraseAction,
  BackAction,
  DeactivateLoopAction,
  DefaultFallbackAction,
  ListenAction,
  RestartAction,
  RevertFallbackEventsAction,
  SessionStartAction,
  UnlikelyIntentAction,
} from './default-actions.js';
import { ExtractSlotsAction } from './extract-slots.js';
import { FormAction } from './form-action.js';
import { RemoteAction } from './remote-action.js';
import { EndToEndResponseAction, ResponseAction, RetrievalResponseAction } from './response-actions.js';
import { TwoStageFallbackAction } from './two-stage-fallback.js';

function builtInDefaults(): Map<string, Action> {
  const actions: Action[] = [
    new ListenAction(),
    new RestartAction(),
    new SessionStartAction(),
    new DefaultFallbackAction(),
    new DeactivateLoopAction(),
    new RevertFallbackEventsAction(),
    new AskAffirmationAction(),
    new AskRephraseAction(),
    new TwoStageFallbackAction(),
    new UnlikelyIntentAction(),
    new BackAction(),
    new ExtractSlotsAction(),
  ];
  return new Map(actions.map((action) => [action.name, action]));
}

/** Action lookup for one domain and action endpoint; actions are created once and reused. */
export class ActionRegistry implements ActionResolver {
  readonly #domain: Domain;
  readonly #endpoint: ActionEndpointConfig | null;
  readonly #defaults = builtInDefaults();
  readonly #cache = new Map<string, Action>();

  constructor(domain: Domain, endpoint: ActionEndpointConfig | null) {
    this.#domain = domain;
    this.#endpoint = endpoint;
  }

  get endpoint(): ActionEndpointConfig | null {
    return this.#endpoint;
  }

  actionFor(nameOrText: string): Action {
    let action = this.#cache.get(nameOrText);
    if (!action) {
      action = this.#resolve(nameOrText);
      this.#cache.set(nameOrText, action);
    }
    return action;
  }

  remoteAction(name: string): Action {
    return new RemoteAction(name, this.#endpoint);
  }

  #resolve(name: string): Action {
    const index = indexDomain(this.#domain);
    if (!index.actionIndex.has(name)) {
      throw new ParleyError(
        'PARLEY_ERR_ACTION_UNKNOWN',
        `Cannot access action '${name}', as that name is not a registered action for this domain. ` +
          `Available actions are: ${this.#domain.actionNames.map((action) => `'${action}'`).join(', ')}.`,
        { details: { action: name } },
      );
    }
    const userDefined = index.customActions.has(name) || index.formNames.has(name);
    const builtIn = this.#defaults.get(name);
    if (builtIn && !userDefined) return builtIn;
    if (name.startsWith('utter_') && index.retrievalIntents.has(RetrievalResponseAction.intentOf(name))) {
      return new RetrievalResponseAction(name);
    }
    if (index.actionTexts.has(name)) return new EndToEndResponseAction(name);
    if (name.startsWith('utter_')) return new ResponseAction(name);
    if (index.formNames.has(name) && !index.customActions.has(name)) return new FormAction(name);
    return new RemoteAction(name, this.#endpoint);
  }
}
