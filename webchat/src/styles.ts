/**
 * The widget's shadow-DOM styles. Every colour and size a site may want to change is a CSS custom
 * property with a fallback; the defaults meet WCAG AA contrast (4.5:1 for text, 3:1 for controls).
 * Logical properties (inline-start/end) mirror the layout for right-to-left pages.
 */
import { css } from 'lit';

export const styles = css`
  /* Defined on .root, not :host, so that the accent-color attribute (set on .root) can override. */
  .root {
    --_accent: var(--parley-accent, #1d4ed8);
    --_accent-text: var(--parley-accent-text, #ffffff);
    --_bg: var(--parley-bg, #ffffff);
    --_text: var(--parley-text, #1f2328);
    --_muted: var(--parley-muted, #57606a);
    --_border: var(--parley-border, #d0d7de);
    --_bot-bg: var(--parley-bubble-bot-bg, #f1f3f5);
    --_bot-text: var(--parley-bubble-bot-text, #1f2328);
    --_user-bg: var(--parley-bubble-user-bg, var(--_accent));
    --_user-text: var(--parley-bubble-user-text, var(--_accent-text));
    --_radius: var(--parley-radius, 16px);
    --_offset: var(--parley-offset, 20px);
    --_launcher-size: var(--parley-launcher-size, 60px);
    --_focus: var(--parley-focus, var(--_accent));
  }

  :host {
    /* Inherited page styles must not leak in. */
    font: 400 15px/1.45 var(--parley-font, system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif);
    color: var(--parley-text, #1f2328);
    text-align: start;
    letter-spacing: normal;
    text-transform: none;
    white-space: normal;
    word-spacing: normal;
  }

  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }

  [hidden] {
    display: none !important;
  }

  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }

  button,
  textarea {
    font: inherit;
    color: inherit;
  }

  button {
    cursor: pointer;
  }

  :focus-visible {
    outline: none;
    box-shadow:
      0 0 0 2px var(--_bg),
      0 0 0 4px var(--_focus);
  }

  svg {
    width: 1.25em;
    height: 1.25em;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
    stroke-linejoin: round;
    flex: none;
  }

  .flip-rtl:dir(rtl) {
    transform: scaleX(-1);
  }

  /* ── launcher ───────────────────────────────────────────── */
  .launcher {
    position: fixed;
    inset-block-end: var(--_offset);
    inset-inline-end: var(--_offset);
    z-index: var(--parley-z-index, 2147483000);
    width: var(--_launcher-size);
    height: var(--_launcher-size);
    border: none;
    border-radius: 50%;
    background: var(--_accent);
    color: var(--_accent-text);
    display: grid;
    place-items: center;
    box-shadow: 0 4px 14px rgb(0 0 0 / 0.25);
  }

  .launcher svg {
    width: 28px;
    height: 28px;
  }

  .badge {
    position: absolute;
    inset-block-start: -4px;
    inset-inline-end: -4px;
    min-width: 22px;
    height: 22px;
    padding: 0 6px;
    border-radius: 11px;
    background: var(--parley-badge-bg, #b91c1c);
    color: var(--parley-badge-text, #ffffff);
    font-size: 12px;
    font-weight: 700;
    line-height: 22px;
    text-align: center;
    box-shadow: 0 0 0 2px var(--_bg);
  }

  /* ── panel ──────────────────────────────────────────────── */
  .panel {
    position: fixed;
    inset-block-end: calc(var(--_offset) + var(--_launcher-size) + 12px);
    inset-inline-end: var(--_offset);
    z-index: var(--parley-z-index, 2147483000);
    width: min(var(--parley-panel-width, 380px), calc(100vw - 2 * var(--_offset)));
    height: min(var(--parley-panel-height, 600px), calc(100vh - var(--_launcher-size) - 3 * var(--_offset)));
    display: flex;
    flex-direction: column;
    background: var(--_bg);
    color: var(--_text);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-shadow: 0 12px 40px rgb(0 0 0 / 0.22);
    overflow: hidden;
  }

  header {
    display: flex;
    align-items: center;
    gap: 10px;
    padding: 10px 8px 10px 14px;
    padding-inline: 14px 8px;
    background: var(--parley-header-bg, var(--_accent));
    color: var(--parley-header-text, var(--_accent-text));
  }

  .avatar {
    width: 36px;
    height: 36px;
    border-radius: 50%;
    object-fit: cover;
    background: var(--_bg);
  }

  .heading {
    flex: 1;
    min-width: 0;
  }

  .title {
    margin: 0;
    font-size: 16px;
    font-weight: 700;
    line-height: 1.3;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  .presence {
    margin: 0;
    font-size: 13px;
  }

  .icon-button {
    width: 40px;
    height: 40px;
    display: grid;
    place-items: center;
    border: none;
    border-radius: 8px;
    background: transparent;
    color: inherit;
  }

  .icon-button:hover {
    background: rgb(255 255 255 / 0.16);
  }

  header :focus-visible {
    box-shadow: 0 0 0 2px var(--parley-header-text, var(--_accent-text));
  }

  .banner {
    margin: 0;
    padding: 8px 14px;
    font-size: 14px;
    border-block-end: 1px solid var(--_border);
  }

  .banner.offline,
  .banner.connecting {
    background: var(--parley-offline-bg, #fff8e1);
    color: var(--parley-offline-text, #6b4400);
  }

  .banner.error {
    background: var(--parley-error-bg, #fdecea);
    color: var(--parley-error-text, #9f1c1c);
  }

  /* ── messages ───────────────────────────────────────────── */
  .log {
    flex: 1;
    padding: 14px;
    overflow-y: auto;
    overscroll-behavior: contain;
  }

  .messages {
    margin: 0;
    padding: 0;
    list-style: none;
    display: flex;
    flex-direction: column;
    gap: 8px;
  }

  .item {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    max-width: 100%;
  }

  .item.user {
    align-items: flex-end;
  }

  .bubble {
    max-width: 85%;
    padding: 8px 12px;
    border-radius: var(--_radius);
    overflow-wrap: anywhere;
  }

  .bot .bubble {
    background: var(--_bot-bg);
    color: var(--_bot-text);
    border-end-start-radius: 4px;
  }

  .user .bubble {
    background: var(--_user-bg);
    color: var(--_user-text);
    border-end-end-radius: 4px;
    white-space: pre-wrap;
  }

  .bubble p,
  .bubble ul,
  .bubble ol,
  .bubble pre {
    margin: 0;
  }

  .bubble > * + * {
    margin-block-start: 0.5em;
  }

  .bubble ul,
  .bubble ol {
    padding-inline-start: 1.3em;
  }

  .bubble a {
    color: var(--parley-link, #0b4fc4);
    text-decoration: underline;
  }

  .bubble code {
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 0.9em;
    background: rgb(0 0 0 / 0.06);
    padding: 0.1em 0.3em;
    border-radius: 4px;
  }

  .bubble pre {
    overflow-x: auto;
    padding: 8px;
    background: rgb(0 0 0 / 0.06);
    border-radius: 6px;
  }

  .bubble pre code {
    background: none;
    padding: 0;
  }

  .notice {
    align-self: center;
    color: var(--_muted);
    font-size: 13px;
  }

  .delivery {
    margin-block-start: 2px;
    font-size: 12px;
    color: var(--_muted);
    display: flex;
    align-items: center;
    gap: 6px;
  }

  .delivery.failed {
    color: var(--parley-error-text, #9f1c1c);
  }

  .link-button {
    padding: 0;
    border: none;
    background: none;
    color: var(--parley-link, #0b4fc4);
    text-decoration: underline;
    font-size: inherit;
  }

  /* ── buttons and quick replies ──────────────────────────── */
  .choices {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    margin: 6px 0 0;
    padding: 0;
    list-style: none;
    max-width: 100%;
  }

  .choice {
    display: inline-flex;
    align-items: center;
    min-height: 36px;
    padding: 6px 14px;
    border: 1.5px solid var(--_accent);
    border-radius: 18px;
    background: var(--_bg);
    color: var(--_accent);
    font-size: 14px;
    font-weight: 600;
    text-decoration: none;
    text-align: start;
  }

  .choice:hover:enabled,
  a.choice:hover {
    background: color-mix(in srgb, var(--_accent) 10%, var(--_bg));
  }

  .choice[aria-pressed='true'] {
    background: var(--_accent);
    color: var(--_accent-text);
  }

  .choice:disabled:not([aria-pressed='true']) {
    border-color: var(--_border);
    color: var(--_muted);
    cursor: default;
  }

  /* ── media ──────────────────────────────────────────────── */
  .media {
    display: block;
    max-width: min(85%, 320px);
    max-height: 260px;
    border-radius: 12px;
    border: 1px solid var(--_border);
    background: var(--_bot-bg);
  }

  audio.media {
    width: 280px;
    max-width: 85%;
    border: none;
    background: none;
  }

  .file {
    display: inline-flex;
    align-items: center;
    gap: 8px;
  }

  /* ── carousel ───────────────────────────────────────────── */
  .carousel {
    position: relative;
    width: 100%;
  }

  .cards {
    display: flex;
    gap: 10px;
    margin: 0;
    padding: 2px 2px 8px;
    list-style: none;
    overflow-x: auto;
    scroll-snap-type: x mandatory;
    scroll-behavior: smooth;
  }

  .card {
    flex: 0 0 min(240px, 78%);
    scroll-snap-align: start;
    display: flex;
    flex-direction: column;
    border: 1px solid var(--_border);
    border-radius: 12px;
    overflow: hidden;
    background: var(--_bg);
  }

  .card img {
    width: 100%;
    height: 130px;
    object-fit: cover;
    background: var(--_bot-bg);
  }

  .card-body {
    padding: 10px 12px;
    display: flex;
    flex-direction: column;
    gap: 4px;
    flex: 1;
  }

  .card-title {
    margin: 0;
    font-weight: 700;
    color: var(--_text);
  }

  .card-title a {
    color: inherit;
  }

  .card-subtitle {
    margin: 0;
    color: var(--_muted);
    font-size: 14px;
  }

  .card .choices {
    flex-direction: column;
    margin-block-start: auto;
    padding-block-start: 6px;
  }

  .card .choice {
    justify-content: center;
    width: 100%;
  }

  .carousel-nav {
    display: flex;
    justify-content: flex-end;
    gap: 6px;
  }

  .carousel-nav .icon-button {
    width: 36px;
    height: 36px;
    border: 1px solid var(--_border);
    background: var(--_bg);
    color: var(--_text);
  }

  /* ── typing indicator and composer ──────────────────────── */
  .typing {
    display: flex;
    align-items: center;
    gap: 4px;
    margin: 0 14px 8px;
    padding: 10px 12px;
    width: fit-content;
    border-radius: var(--_radius);
    background: var(--_bot-bg);
  }

  .typing span {
    width: 7px;
    height: 7px;
    border-radius: 50%;
    background: var(--_muted);
    animation: parley-bounce 1.2s infinite ease-in-out;
  }

  .typing span:nth-child(2) {
    animation-delay: 0.15s;
  }

  .typing span:nth-child(3) {
    animation-delay: 0.3s;
  }

  @keyframes parley-bounce {
    0%,
    80%,
    100% {
      transform: translateY(0);
      opacity: 0.5;
    }
    40% {
      transform: translateY(-4px);
      opacity: 1;
    }
  }

  .composer {
    display: flex;
    align-items: flex-end;
    gap: 8px;
    padding: 10px;
    border-block-start: 1px solid var(--_border);
  }

  textarea {
    flex: 1;
    min-height: 42px;
    max-height: 120px;
    padding: 10px 12px;
    border: 1px solid var(--_border);
    border-radius: 21px;
    background: var(--_bg);
    resize: none;
    line-height: 1.35;
  }

  textarea::placeholder {
    color: var(--parley-placeholder, #6a737d);
  }

  textarea:focus-visible {
    border-color: var(--_focus);
    box-shadow: 0 0 0 1px var(--_focus);
  }

  .attach {
    flex: none;
    color: var(--_muted);
  }

  .attach:hover {
    background: var(--_border);
  }

  .attach:disabled {
    opacity: 0.5;
  }

  .item.user .file {
    color: inherit;
  }

  .send {
    width: 42px;
    height: 42px;
    border: none;
    border-radius: 50%;
    background: var(--_accent);
    color: var(--_accent-text);
    display: grid;
    place-items: center;
  }

  @media (max-width: 480px) {
    .panel {
      inset: 0;
      width: 100%;
      height: 100%;
      border: none;
      border-radius: 0;
    }

    :host([open]) .launcher {
      display: none;
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .typing span {
      animation: none;
      opacity: 0.8;
    }

    .cards {
      scroll-behavior: auto;
    }
  }

  @media (forced-colors: active) {
    .bubble,
    .choice,
    .typing,
    .launcher,
    .send {
      border: 1px solid CanvasText;
    }
  }
`;
