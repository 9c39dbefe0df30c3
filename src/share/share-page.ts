/**
 * The tester's page (`/share?token=…`): a full-page chat with Parley's widget that says which bot
 * and model it talks to, and tags every message with the share link so review can find it.
 */
import { escapeHtml, htmlDocument } from '../server/html-page.js';

export const SHARE_STYLE = `
  html, body { height: 100%; }
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #1f2328; background: #f6f8fa; }
  header { max-width: 46rem; margin: 0 auto; padding: 1.25rem 1.25rem 0; }
  h1 { font-size: 1.5rem; line-height: 1.2; margin: 0 0 0.25rem; }
  p { margin: 0 0 0.5rem; color: #424a53; }
  code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
  parley-chat { --parley-panel-width: 46rem; --parley-panel-height: calc(100vh - 15rem); }
  @media (min-width: 49rem) { header { margin-inline: auto 20px; padding-inline: 0; } }
  main.invalid { max-width: 36rem; margin: 4rem auto; padding: 0 1.25rem; }
`;

/**
 * Runs before the widget's module script (classic scripts run while the page is parsed), so the
 * property is in place before the first message: the widget sends `customData` as metadata.
 */
export const SHARE_SCRIPT =
  "for (const chat of document.querySelectorAll('parley-chat[data-share-link]')) chat.customData = { share_link: chat.dataset.shareLink };";

export interface SharePageOptions {
  /** The project folder name or config.yml `assistant_id`. */
  botName: string;
  /** The served model's file name, or null when none is loaded. */
  modelName: string | null;
  shareLinkId: string;
  /** The widget's `initial-payload` (empty for none). */
  initialPayload: string;
}

/** The chat page for a valid share link. */
export function sharePageHtml(options: SharePageOptions): string {
  const bot = escapeHtml(options.botName);
  const model = options.modelName ? `, model <code>${escapeHtml(options.modelName)}</code>` : '';
  const payload = options.initialPayload ? ` initial-payload="${escapeHtml(options.initialPayload)}"` : '';
  return htmlDocument({
    title: `Chat with ${options.botName}`,
    style: SHARE_STYLE,
    moduleScript: '/webchat.js',
    noindex: true,
    body: `<header>
<h1>Chat with ${bot}</h1>
<p>You are testing <strong>${bot}</strong>${model}. The conversation is saved so that the bot's
owner can review it and improve the bot.</p>
</header>
<parley-chat chat-title="${bot}"${payload} data-share-link="${escapeHtml(options.shareLinkId)}" open></parley-chat>
<script>${SHARE_SCRIPT}</script>`,
  });
}

/** The page for an unknown or revoked token. */
export function invalidLinkHtml(): string {
  return htmlDocument({
    title: 'Link no longer valid',
    style: SHARE_STYLE,
    noindex: true,
    body: `<main class="invalid">
<h1>This invite link is no longer valid</h1>
<p>It was revoked or never existed. Ask the person who shared it for a new link.</p>
</main>`,
  });
}
