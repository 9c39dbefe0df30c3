/** The web-chat bundle's entry: registers `<parley-chat>` (once, even if the script loads twice). */
import { ParleyChat } from './parley-chat.js';

export { ParleyChat };
export type { ParleyChatEventDetails } from './parley-chat.js';

if (!customElements.get('parley-chat')) customElements.define('parley-chat', ParleyChat);
