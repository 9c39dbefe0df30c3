/**
 * The review page's bundle entry: registers `<parley-review>` (once) and, when the page has no
 * such element, adds one, so the server's HTML can be as small as a script tag.
 */
import { ParleyReview } from './parley-review.js';

export { ParleyReview };

if (!customElements.get('parley-review')) customElements.define('parley-review', ParleyReview);

function mount(): void {
  if (document.querySelector('parley-review')) return;
  document.body.append(document.createElement('parley-review'));
}

// The page itself carries no styles of its own (its CSP allows none inline); a constructed sheet is allowed.
const pageStyle = new CSSStyleSheet();
pageStyle.replaceSync('html,body{margin:0;background:#f6f8fa}');
document.adoptedStyleSheets = [...document.adoptedStyleSheets, pageStyle];

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount, { once: true });
else mount();
