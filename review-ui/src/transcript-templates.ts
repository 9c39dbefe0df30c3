/**
 * Templates of the conversation pane: one card per turn with the message (entities marked), the
 * prediction, the actions and their policies, bot messages with their templates, slots set,
 * saved corrections, and the correction form when it is open. All text goes through Lit text
 * bindings, so nothing a user or the bot said can become markup.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { CorrectionDraft } from './correction-draft.js';
import { renderCorrectionForm, type FormContext } from './correction-form.js';
import type { TextSegment } from './entity-spans.js';
import { count, formatCreated, formatTime } from './format.js';
import type { ActionView, CorrectionView, IntentView, TurnView } from './turn-view.js';

export interface TranscriptContext {
  draft: CorrectionDraft | null;
  form: Omit<FormContext, 'predictedAction'>;
  /** False while the domain is unknown or the turn has no text. */
  canCorrect: boolean;
  openCorrection(eventIndex: number): void;
  deleteCorrection(id: string): void;
}

function renderSegments(segments: readonly TextSegment[]): TemplateResult[] {
  return segments.map((segment) =>
    segment.entity === null
      ? html`${segment.text}`
      : html`<mark>${segment.text}<span class="tag">${segment.entity.name}${segment.entity.role ? `:${segment.entity.role}` : ''}</span></mark>`,
  );
}

function intentBadge(intent: IntentView): TemplateResult {
  return html`<span class="prediction">${intent.name}</span>
    <span class=${intent.flagged ? 'badge warn' : 'badge'}>${intent.flagged ? 'low ' : ''}${intent.confidence}</span>`;
}

function renderAction(action: ActionView): TemplateResult {
  const classes = ['step', action.listen ? 'listen' : ''].join(' ');
  return html`<li class=${classes}>
    <code>${action.name}</code>
    ${action.policyFull === '' ? nothing : html`<span class="meta" title=${action.policyFull}>by ${action.policy}, ${action.confidence}</span>`}
    ${action.fallback ? html`<span class="badge bad">fallback</span>` : nothing}
  </li>`;
}

function renderCorrection(correction: CorrectionView, context: TranscriptContext): TemplateResult {
  return html`<div class="correction">
    <div>
      <strong>Corrected</strong> <span class="meta">${formatCreated(correction.created)}</span>
      <ul>${correction.lines.map((line) => html`<li>${line}</li>`)}</ul>
    </div>
    <button type="button" @click=${() => context.deleteCorrection(correction.id)}
      aria-label=${`Delete correction: ${correction.lines.join(', ')}`}>Delete</button>
  </div>`;
}

function renderFacts(turn: TurnView): TemplateResult {
  const rows: TemplateResult[] = [];
  if (turn.intent !== null) {
    const others = turn.ranking.filter((entry) => entry.name !== turn.intent?.name);
    rows.push(html`<dt>Intent</dt><dd>${intentBadge(turn.intent)}
      ${others.length > 0
        ? html`<details><summary>Ranking (${others.length} more)</summary>
            <ol class="ranking">${others.map((entry) => html`<li>${entry.name} <span class="meta">${entry.confidence}</span></li>`)}</ol>
          </details>`
        : nothing}</dd>`);
  }
  if (turn.text !== null) {
    rows.push(html`<dt>Entities</dt><dd>${turn.entities.length === 0
      ? html`<span class="meta">none</span>`
      : turn.entities.map(
          (entity) => html`<span class="badge">${entity.value} → ${entity.entity}${entity.role ? ` (role ${entity.role})` : ''}${entity.group ? ` (group ${entity.group})` : ''}${entity.confidence ? ` ${entity.confidence}` : ''}${entity.extractor ? html` <span class="meta">${entity.extractor}</span>` : nothing}</span>`,
        )}</dd>`);
  }
  if (turn.actions.length > 0) {
    rows.push(html`<dt>Actions</dt><dd><ol class="steps">${turn.actions.map(renderAction)}</ol></dd>`);
  }
  if (turn.bots.length > 0) {
    rows.push(html`<dt>Bot said</dt><dd><ol class="steps">${turn.bots.map(
      (bot) => html`<li class="step"><span class="bot-text">${bot.text}${bot.image ? html` <span class="meta">[image]</span>` : nothing}${bot.buttons.length > 0 ? html` <span class="meta">[${bot.buttons.join(' | ')}]</span>` : nothing}</span>
        ${bot.template ? html`<code>${bot.template}</code>` : html`<span class="meta">no template</span>`}</li>`,
    )}</ol></dd>`);
  }
  if (turn.slots.length > 0) {
    rows.push(html`<dt>Slots set</dt><dd>${turn.slots.map((slot) => html`<code>${slot.name} = ${slot.value}</code>`)}</dd>`);
  }
  return html`<dl class="facts">${rows}</dl>`;
}

function turnClass(turn: TurnView): string {
  if (turn.corrections.length > 0) return 'turn corrected';
  if (turn.fallback) return 'turn fallback';
  if (turn.intent?.flagged) return 'turn flagged';
  return 'turn';
}

export function renderTurn(turn: TurnView, context: TranscriptContext): TemplateResult {
  const editing = context.draft !== null && context.draft.eventIndex === turn.eventIndex;
  const predictedAction = turn.actions.find((action) => !action.listen)?.name ?? null;
  return html`${turn.sessionStart ? html`<li class="divider" aria-label="A new session starts">new session</li>` : nothing}
    <li class=${turnClass(turn)} id=${`turn-${turn.eventIndex}`}>
      <div class="turn-head">
        <span class="who">${turn.text === null ? 'Before the first message' : 'User'}</span>
        <span class="meta">${formatTime(turn.timestamp)}</span>
        ${turn.fallback ? html`<span class="badge bad">fallback</span>` : nothing}
        ${turn.text !== null && !editing
          ? html`<button type="button" class="correct" id=${`correct-${turn.eventIndex}`} ?disabled=${!context.canCorrect}
              aria-label=${`Correct “${turn.text}”`} @click=${() => context.openCorrection(turn.eventIndex)}>Correct</button>`
          : nothing}
      </div>
      ${turn.text !== null ? html`<p class="said">${renderSegments(turn.segments)}</p>` : nothing}
      ${renderFacts(turn)}
      ${turn.corrections.map((correction) => renderCorrection(correction, context))}
      ${editing && context.draft ? renderCorrectionForm(context.draft, { ...context.form, predictedAction }) : nothing}
    </li>`;
}

export function renderTurns(turns: readonly TurnView[], context: TranscriptContext): TemplateResult {
  const messages = turns.filter((turn) => turn.text !== null).length;
  return html`<p class="meta">${count(messages, 'user message')}</p>
    <ol class="turns" aria-label="Turns">${turns.map((turn) => renderTurn(turn, context))}</ol>`;
}
