/**
 * The review page's shadow-DOM styles. Colours meet WCAG AA contrast; every control shows a
 * visible focus ring; below 760 px the page shows one pane at a time (list or conversation).
 */
import { css } from 'lit';

export const styles = css`
  :host {
    --accent: #1d4ed8;
    --accent-text: #ffffff;
    --text: #1f2328;
    --muted: #57606a;
    --border: #d0d7de;
    --bg: #f6f8fa;
    --card: #ffffff;
    --warn-bg: #fff8c5;
    --warn-text: #6a4a00;
    --bad-bg: #ffebe9;
    --bad-text: #a40e26;
    --good-bg: #dafbe1;
    --good-text: #116329;
    --mark-bg: #ddf4ff;
    --mark-border: #54aeff;
    display: block;
    font: 400 15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif;
    color: var(--text);
    background: var(--bg);
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
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }

  :focus-visible {
    outline: 3px solid var(--accent);
    outline-offset: 2px;
  }

  h1, h2, h3, p, ol, ul, dl, dd {
    margin: 0;
  }

  ul, ol {
    padding: 0;
    list-style: none;
  }

  code {
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 0.88em;
    background: #eff1f3;
    border-radius: 4px;
    padding: 0.05em 0.3em;
    overflow-wrap: anywhere;
  }

  .empty code,
  .signin code,
  .export-panel code {
    white-space: nowrap;
  }

  button,
  select,
  input,
  textarea {
    font: inherit;
    color: inherit;
  }

  button {
    cursor: pointer;
    min-height: 2.25rem;
    padding: 0.35rem 0.8rem;
    border: 1px solid var(--border);
    border-radius: 6px;
    background: var(--card);
  }

  button:hover {
    background: #f3f4f6;
  }

  button.primary {
    background: var(--accent);
    border-color: var(--accent);
    color: var(--accent-text);
    font-weight: 600;
  }

  button.primary:hover {
    background: #1e40af;
  }

  button.link {
    border: 0;
    background: none;
    color: var(--accent);
    padding: 0.35rem 0.25rem;
    text-decoration: underline;
  }

  button:disabled,
  button[aria-disabled='true'] {
    cursor: default;
    opacity: 0.6;
  }

  select,
  input,
  textarea {
    min-height: 2.25rem;
    padding: 0.3rem 0.5rem;
    border: 1px solid #8c959f;
    border-radius: 6px;
    background: var(--card);
    max-width: 100%;
  }

  label {
    font-weight: 600;
    font-size: 0.85rem;
  }

  .page {
    display: flex;
    flex-direction: column;
    height: 100vh;
  }

  .bar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 1rem;
    padding: 0.6rem 1rem;
    background: var(--card);
    border-bottom: 1px solid var(--border);
  }

  .bar h1 {
    font-size: 1.15rem;
    margin-inline-end: auto;
  }

  .bar .bot-name {
    font-weight: 400;
    color: var(--muted);
  }

  .bar .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }

  .export-panel {
    padding: 0.75rem 1rem;
    background: var(--card);
    border-bottom: 1px solid var(--border);
    display: grid;
    gap: 0.5rem;
  }

  .export-panel .buttons {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }

  .share-panel {
    max-height: 45vh;
    overflow: auto;
    padding: 0.75rem 1rem;
    background: var(--card);
    border-bottom: 1px solid var(--border);
    display: grid;
    gap: 0.6rem;
  }

  .share-new {
    display: grid;
    gap: 0.2rem;
  }

  .share-row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }

  .share-row input {
    flex: 1 1 16rem;
    min-width: 0;
  }

  .share-links {
    display: grid;
    gap: 0.6rem;
  }

  .share-link {
    display: grid;
    gap: 0.3rem;
  }

  .share-link.revoked {
    color: var(--muted);
  }

  .share-head {
    display: flex;
    flex-wrap: wrap;
    gap: 0.3rem 0.6rem;
    align-items: baseline;
  }

  .status {
    padding: 0.4rem 1rem;
    background: var(--good-bg);
    color: var(--good-text);
    border-bottom: 1px solid var(--border);
  }

  .status:empty {
    display: none;
  }

  .layout {
    flex: 1;
    min-height: 0;
    display: grid;
    grid-template-columns: minmax(18rem, 24rem) minmax(0, 1fr);
  }

  .pane {
    overflow: auto;
    min-height: 0;
  }

  .list-pane {
    border-inline-end: 1px solid var(--border);
    background: var(--card);
  }

  .filters {
    display: grid;
    grid-template-columns: 1fr 1fr;
    gap: 0.5rem 0.75rem;
    padding: 0.75rem 1rem;
    border-bottom: 1px solid var(--border);
  }

  .field {
    display: grid;
    gap: 0.2rem;
    min-width: 0;
  }

  .field select,
  .field input:not([type='checkbox']) {
    width: 100%;
    min-width: 0;
  }

  form.fix .field select {
    max-width: 28rem;
  }

  .field.wide {
    grid-column: 1 / -1;
  }

  .checkbox-field {
    align-content: end;
    padding-bottom: 0.4rem;
  }

  .check {
    display: flex;
    align-items: center;
    gap: 0.4rem;
    font-weight: 400;
    font-size: 0.95rem;
  }

  .check input {
    min-height: 0;
    width: 1.1rem;
    height: 1.1rem;
  }

  .filters .footer {
    grid-column: 1 / -1;
    display: flex;
    justify-content: space-between;
    align-items: center;
    gap: 0.5rem;
    color: var(--muted);
    font-size: 0.85rem;
  }

  .conversations li + li {
    border-top: 1px solid var(--border);
  }

  .conversations a {
    display: grid;
    gap: 0.2rem;
    padding: 0.65rem 1rem;
    color: inherit;
    text-decoration: none;
  }

  .conversations a:hover {
    background: #f3f4f6;
  }

  .conversations a[aria-current='true'] {
    background: #eef4ff;
    box-shadow: inset 4px 0 0 var(--accent);
  }

  .conversations .first {
    font-weight: 600;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  .meta {
    color: var(--muted);
    font-size: 0.85rem;
  }

  .badges {
    display: flex;
    flex-wrap: wrap;
    gap: 0.3rem;
  }

  .badge {
    display: inline-block;
    padding: 0.05rem 0.45rem;
    border-radius: 10px;
    font-size: 0.78rem;
    background: #eff1f3;
    color: var(--text);
    border: 1px solid transparent;
    overflow-wrap: anywhere;
  }

  .badge.warn {
    background: var(--warn-bg);
    color: var(--warn-text);
  }

  .badge.bad {
    background: var(--bad-bg);
    color: var(--bad-text);
  }

  .badge.good {
    background: var(--good-bg);
    color: var(--good-text);
  }

  .badge.tester {
    background: #fbefff;
    color: #6e2d91;
  }

  .more {
    padding: 0.75rem 1rem;
  }

  .empty,
  .problem {
    margin: 1rem;
    padding: 1rem;
    border-radius: 8px;
    background: var(--card);
    border: 1px solid var(--border);
    display: grid;
    gap: 0.6rem;
    justify-items: start;
  }

  .problem {
    border-color: #ff8182;
    background: var(--bad-bg);
  }

  .detail-pane {
    padding: 1rem 1.25rem 3rem;
  }

  .detail-head {
    display: grid;
    gap: 0.25rem;
    margin-block-end: 1rem;
  }

  .detail-head h2 {
    font-size: 1.1rem;
    overflow-wrap: anywhere;
  }

  .detail-head h2:focus {
    outline: none;
  }

  .detail-head h2:focus-visible {
    outline: 3px solid var(--accent);
  }

  .back {
    display: none;
    justify-self: start;
  }

  .turns {
    display: grid;
    gap: 0.9rem;
    max-width: 56rem;
  }

  .divider {
    text-align: center;
    color: var(--muted);
    font-size: 0.8rem;
    border-top: 1px dashed var(--border);
    padding-top: 0.3rem;
  }

  .turn {
    background: var(--card);
    border: 1px solid var(--border);
    border-radius: 10px;
    padding: 0.8rem 1rem;
    display: grid;
    gap: 0.6rem;
    min-width: 0;
  }

  .turn.flagged {
    border-inline-start: 4px solid #bf8700;
  }

  .turn.fallback {
    border-inline-start: 4px solid #cf222e;
  }

  .turn.corrected {
    border-inline-start: 4px solid #1a7f37;
  }

  .turn-head {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.4rem 0.75rem;
  }

  .turn-head .who {
    font-weight: 700;
    font-size: 0.8rem;
    text-transform: uppercase;
    letter-spacing: 0.04em;
    color: var(--muted);
  }

  .turn-head .correct {
    margin-inline-start: auto;
  }

  .said {
    font-size: 1.05rem;
    overflow-wrap: anywhere;
  }

  mark {
    background: var(--mark-bg);
    border-bottom: 2px solid var(--mark-border);
    color: inherit;
    padding: 0 0.1em;
    border-radius: 3px;
  }

  mark .tag {
    font-size: 0.72rem;
    color: #0a3069;
    margin-inline-start: 0.25rem;
  }

  .facts {
    display: grid;
    grid-template-columns: max-content minmax(0, 1fr);
    gap: 0.3rem 0.75rem;
    font-size: 0.9rem;
  }

  .facts dt {
    color: var(--muted);
  }

  .facts dd {
    display: flex;
    flex-wrap: wrap;
    gap: 0.3rem;
    align-items: baseline;
    min-width: 0;
  }

  .prediction {
    font-weight: 600;
  }

  details summary {
    cursor: pointer;
    color: var(--accent);
    font-size: 0.85rem;
  }

  .ranking {
    display: grid;
    gap: 0.1rem;
    margin-top: 0.3rem;
    font-size: 0.85rem;
  }

  .steps {
    display: grid;
    gap: 0.35rem;
  }

  .step {
    display: flex;
    flex-wrap: wrap;
    gap: 0.3rem 0.5rem;
    align-items: baseline;
    font-size: 0.9rem;
  }

  .step.listen {
    color: var(--muted);
  }

  .bot-text {
    background: #f1f3f5;
    border-radius: 12px;
    padding: 0.35rem 0.7rem;
    overflow-wrap: anywhere;
    white-space: pre-wrap;
  }

  .correction {
    background: var(--good-bg);
    color: var(--good-text);
    border-radius: 8px;
    padding: 0.5rem 0.75rem;
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
    justify-content: space-between;
  }

  .correction ul {
    display: grid;
    gap: 0.15rem;
    overflow-wrap: anywhere;
  }

  form.fix {
    border: 2px solid var(--accent);
    border-radius: 8px;
    padding: 0.75rem;
    display: grid;
    gap: 0.7rem;
  }

  fieldset {
    border: 0;
    margin: 0;
    padding: 0;
  }

  legend {
    font-weight: 600;
    font-size: 0.85rem;
    padding: 0;
  }

  form.fix h3 {
    font-size: 1rem;
  }

  .hint {
    color: var(--muted);
    font-size: 0.85rem;
    font-weight: 400;
  }

  .words {
    display: flex;
    flex-wrap: wrap;
    gap: 0.3rem;
    margin-block: 0.2rem 0.4rem;
  }

  .word {
    min-height: 2rem;
    padding: 0.15rem 0.5rem;
    border-radius: 6px;
  }

  .word.marked {
    background: var(--mark-bg);
    border-color: var(--mark-border);
  }

  .word[aria-pressed='true'] {
    background: var(--accent);
    border-color: var(--accent);
    color: var(--accent-text);
  }

  .entity-row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: end;
  }

  .entity-row .field {
    flex: 1 1 9rem;
  }

  .annotations {
    display: grid;
    gap: 0.3rem;
  }

  .annotations li {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
    overflow-wrap: anywhere;
  }

  .form-buttons {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }

  .form-problem {
    color: var(--bad-text);
    font-weight: 600;
  }

  .signin {
    max-width: 34rem;
    margin: 2rem auto;
    padding: 1.25rem;
    background: var(--card);
    border: 1px solid var(--border);
    border-radius: 10px;
    display: grid;
    gap: 0.8rem;
  }

  .signin .problem {
    margin: 0;
  }

  .signin form {
    display: grid;
    gap: 0.4rem;
  }

  .signin .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }

  .signin input {
    flex: 1 1 14rem;
  }

  @media (max-width: 760px) {
    .page {
      height: auto;
      min-height: 100vh;
    }

    .layout {
      display: block;
    }

    .pane {
      overflow: visible;
    }

    .layout.showing-detail .list-pane,
    .layout.showing-list .detail-pane {
      display: none;
    }

    .list-pane {
      border-inline-end: 0;
    }

    .back {
      display: inline-block;
    }

    .bar {
      padding: 0.5rem 0.75rem;
    }

    .bar .actions {
      gap: 0.35rem;
    }

    .bar .actions button {
      padding: 0.25rem 0.5rem;
      font-size: 0.9rem;
    }

    .detail-pane {
      padding: 0.75rem 0.75rem 2rem;
    }

    .turn {
      padding: 0.7rem;
    }

    .facts {
      gap: 0.35rem 0.5rem;
    }
  }
`;
