/**
 * The correction form of one turn: intent, entities (marked by picking words of the message, with
 * the mouse or the keyboard) and the next action. Escape cancels.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { CorrectionDraft } from './correction-draft.js';
import type { DomainOptions } from './domain-options.js';
import { entityLabel } from './turn-view.js';

export interface FormContext {
  domain: DomainOptions;
  /** Why the domain could not be read, if it could not. */
  domainProblem: string | null;
  /** The bot's action after this turn, to name the "keep" choice. */
  predictedAction: string | null;
  update(draft: CorrectionDraft): void;
  togglePick(index: number): void;
  moveCursor(index: number, extend: boolean): void;
  markPicked(): void;
  removeEntity(index: number): void;
  save(): void;
  cancel(): void;
}

function choices(names: readonly string[], selected: string): TemplateResult[] {
  const list = selected !== '' && !names.includes(selected) ? [selected, ...names] : names;
  return list.map((name) => html`<option value=${name} ?selected=${name === selected}>${name}</option>`);
}

export function renderCorrectionForm(draft: CorrectionDraft, context: FormContext): TemplateResult {
  const id = (name: string) => `${name}-${draft.eventIndex}`;
  const entityOption = context.domain.entities.find((entity) => entity.name === draft.newEntity);
  const roles = entityOption?.roles ?? [];
  // The words are one tab stop (a roving tabindex): arrows move, Shift+arrows pick as they go, Space picks.
  const onWordKey = (event: KeyboardEvent) => {
    const moves: Record<string, number> = { ArrowRight: draft.cursor + 1, ArrowLeft: draft.cursor - 1, Home: 0, End: draft.words.length - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    context.moveCursor(moves[event.key], event.shiftKey);
  };
  const inEntity = (index: number) => draft.entities.some((entity) => entity.start < draft.words[index].end && draft.words[index].start < entity.end);
  const onKeydown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      context.cancel();
    }
  };
  return html`<form class="fix" aria-labelledby=${id('title')} @keydown=${onKeydown}
    @submit=${(event: Event) => {
      event.preventDefault();
      context.save();
    }}>
    <h3 id=${id('title')}>Correct this message</h3>
    ${context.domainProblem ? html`<p class="form-problem" role="alert">${context.domainProblem}</p>` : nothing}
    <div class="field">
      <label for=${id('intent')}>Intent</label>
      <select id=${id('intent')} class="intent-select" @change=${(event: Event) => context.update({ ...draft, intent: (event.target as HTMLSelectElement).value })}>
        ${choices(context.domain.intents, draft.intent)}
      </select>
    </div>
    <fieldset class="field">
      <legend>Entities</legend>
      ${context.domain.entities.length === 0
        ? html`<p class="hint">${context.domainProblem ? 'No entity is known yet.' : 'The domain declares no entities.'}</p>`
        : html`<p class="hint" id=${id('words-help')}>Pick the words of an entity (click them, or use the arrow keys and Space;
              Shift with an arrow picks the next word too), choose its entity, then “Mark entity”.</p>
            <div class="words" role="group" aria-label="Words of the message" aria-describedby=${id('words-help')} @keydown=${onWordKey}>
              ${draft.words.map(
                (word, index) => html`<button type="button" id=${`word-${draft.eventIndex}-${index}`} class=${inEntity(index) ? 'word marked' : 'word'}
                  tabindex=${index === draft.cursor ? '0' : '-1'} aria-pressed=${draft.picked.includes(index) ? 'true' : 'false'}
                  @click=${() => context.togglePick(index)}>${word.text}</button>`,
              )}
            </div>
            <div class="entity-row">
              <div class="field">
                <label for=${id('entity')}>Entity</label>
                <select id=${id('entity')} @change=${(event: Event) => context.update({ ...draft, newEntity: (event.target as HTMLSelectElement).value, newRole: '' })}>
                  <option value="" ?selected=${draft.newEntity === ''}>Choose an entity</option>
                  ${choices(context.domain.entities.map((entity) => entity.name), draft.newEntity)}
                </select>
              </div>
              ${roles.length > 0
                ? html`<div class="field">
                    <label for=${id('role')}>Role</label>
                    <select id=${id('role')} @change=${(event: Event) => context.update({ ...draft, newRole: (event.target as HTMLSelectElement).value })}>
                      <option value="" ?selected=${draft.newRole === ''}>No role</option>
                      ${choices(roles, draft.newRole)}
                    </select>
                  </div>`
                : nothing}
              <button type="button" class="mark-entity" @click=${() => context.markPicked()}>Mark entity</button>
            </div>`}
      ${draft.entities.length === 0
        ? html`<p class="hint">No entities marked.</p>`
        : html`<ul class="annotations" aria-label="Marked entities">
            ${draft.entities.map(
              (entity, index) => html`<li><span class="badge">${entityLabel(draft.text, entity)}</span>
                <button type="button" class="link" aria-label=${`Remove ${entityLabel(draft.text, entity)}`} @click=${() => context.removeEntity(index)}>Remove</button></li>`,
            )}
          </ul>`}
    </fieldset>
    <div class="field">
      <label for=${id('action')}>Next action</label>
      <select id=${id('action')} @change=${(event: Event) => context.update({ ...draft, action: (event.target as HTMLSelectElement).value })}>
        <option value="" ?selected=${draft.action === ''}>Keep what the bot did${context.predictedAction ? ` (${context.predictedAction})` : ''}</option>
        ${choices(context.domain.actions, draft.action)}
      </select>
    </div>
    ${draft.problem ? html`<p class="form-problem" role="alert">${draft.problem}</p>` : nothing}
    <div class="form-buttons">
      <button type="submit" class="primary" aria-disabled=${draft.saving ? 'true' : 'false'}>${draft.saving ? 'Saving…' : 'Save correction'}</button>
      <button type="button" @click=${context.cancel}>Cancel</button>
    </div>
  </form>`;
}
