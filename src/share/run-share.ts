/**
 * `parley run --share`: make sure review has a token (generating one when `--auth-token` was not
 * given), then reuse the newest unrevoked share link or create one, and print both links.
 * The links go to the person at the terminal (stderr) only, never to the log: the token
 * grants access to every conversation.
 */
import { openReviewDatabase, reviewDatabasePath } from '../review/review-db.js';
import { newToken } from './share-link-store.js';

export interface ShareSetup {
  /** The token that opens review: `--auth-token`, else a generated one. */
  reviewToken: string;
  generated: boolean;
}

/** The review token to start the server with. */
export function shareSetup(authToken: string | undefined): ShareSetup {
  return authToken ? { reviewToken: authToken, generated: false } : { reviewToken: newToken(), generated: true };
}

/** The server's address as a person can open it (an any-interface address becomes `localhost`). */
export function browsableBaseUrl(listenUrl: string): string {
  const url = new URL(listenUrl);
  if (url.hostname === '0.0.0.0' || url.hostname === '[::]') url.hostname = 'localhost';
  return url.origin;
}

export interface ShareAnnouncement {
  inviteUrl: string;
  reviewUrl: string;
  /** Whether the link was created now (false: the newest unrevoked one was reused). */
  created: boolean;
}

/** Reuses or creates the share link in the project's review database and builds both URLs. */
export function prepareShareLinks(root: string, listenUrl: string, setup: ShareSetup): ShareAnnouncement {
  const database = openReviewDatabase(reviewDatabasePath(root));
  try {
    const existing = database.shareLinks.newestActive();
    const link = existing ?? database.shareLinks.create('parley run --share');
    const base = browsableBaseUrl(listenUrl);
    return {
      inviteUrl: `${base}/share?token=${encodeURIComponent(link.token)}`,
      reviewUrl: `${base}/review?token=${encodeURIComponent(setup.reviewToken)}`,
      created: existing === undefined,
    };
  } finally {
    database.close();
  }
}

/** The lines `parley run --share` prints. */
export function shareMessages(announcement: ShareAnnouncement, setup: ShareSetup): string[] {
  const lines = [`Invite testers: ${announcement.inviteUrl}`, `Review: ${announcement.reviewUrl}`];
  if (setup.generated) {
    lines.push(
      'The review token above was generated for this run (no --auth-token was given) and is shown only here; ' +
        'start with --auth-token <secret> to keep the same review link across restarts.',
    );
  }
  return lines;
}
