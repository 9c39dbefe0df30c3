/**
 * The invite panel: the share links testers open (`/share?token=…`), a form to make a new one with
 * a label, and a revoke button per link (the link stops working at once).
 */
import { html, nothing, type TemplateResult } from 'lit';
import { formatTime } from './format.js';
import type { ShareLink } from './types.js';

export interface ShareLinksState {
  status: 'loading' | 'ready' | 'error';
  links: ShareLink[];
  error: string | null;
}

export interface ShareLinksContext {
  create(label: string): void;
  revoke(link: ShareLink): void;
  copy(link: ShareLink): void;
}

function renderLink(link: ShareLink, context: ShareLinksContext): TemplateResult {
  const name = link.label ?? 'Invite link';
  return html`<li class=${link.revoked ? 'share-link revoked' : 'share-link'}>
    <div class="share-head">
      <strong>${name}</strong>
      <span class="meta">created ${formatTime(link.created_at)}</span>
      ${link.revoked ? html`<span class="badge bad">revoked</span>` : nothing}
    </div>
    ${link.revoked
      ? nothing
      : html`<div class="share-row">
          <input type="text" readonly .value=${link.url} aria-label=${`Address of ${name}`}
            @focus=${(event: Event) => (event.target as HTMLInputElement).select()}>
          <button type="button" @click=${() => context.copy(link)} aria-label=${`Copy ${name}`}>Copy</button>
          <button type="button" @click=${() => context.revoke(link)} aria-label=${`Revoke ${name}`}>Revoke</button>
        </div>`}
  </li>`;
}

export function renderShareLinks(state: ShareLinksState, context: ShareLinksContext): TemplateResult {
  return html`<section class="share-panel" id="share-panel" aria-label="Invite testers">
    <p>Testers open an invite link and chat with the bot; no account is needed. Their conversations are marked
      <span class="badge tester">tester</span> in the list. Revoking a link stops it at once.</p>
    <form class="share-new" @submit=${(event: Event) => {
      event.preventDefault();
      const input = (event.currentTarget as HTMLFormElement).querySelector('input');
      context.create(input?.value ?? '');
      if (input) input.value = '';
    }}>
      <label for="share-label">Label (optional)</label>
      <div class="share-row">
        <input id="share-label" type="text" maxlength="200" placeholder="Who gets it, e.g. Friday test group" autocomplete="off">
        <button type="submit" class="primary">New invite link</button>
      </div>
    </form>
    ${state.status === 'error' ? html`<p class="form-problem" role="alert">${state.error}</p>` : nothing}
    ${state.status === 'loading' && state.links.length === 0 ? html`<p class="meta" role="status">Loading invite links…</p>` : nothing}
    ${state.status === 'ready' && state.links.length === 0 ? html`<p class="meta">No invite links yet.</p>` : nothing}
    ${state.links.length > 0 ? html`<ul class="share-links" aria-label="Invite links">${state.links.map((link) => renderLink(link, context))}</ul>` : nothing}
  </section>`;
}
