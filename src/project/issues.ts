/** Collects every problem found while reading a project so all of them are reported at once. */
import {
  ParleyAggregateError,
  ParleyError,
  formatLocation,
  type ErrorCode,
  type FileLocation,
} from '../errors.js';
import type { ProjectIssue } from '../shared/project.js';

/**
 * Warning codes of the project loader and validator. Warnings never stop loading; a CLI can turn
 * them into failures (`--fail-on-warnings`). Codes are stable: never reuse a retired one.
 */
export const PROJECT_WARNING_CODES = {
  // ── reading files ────────────────────────────────────────────────
  PARLEY_WARN_FORMAT_VERSION: 'a file declares a format version other than 3.1',
  PARLEY_WARN_FILE_SKIPPED: 'a file was not used (newer format, or no recognised content)',
  // ── domain ───────────────────────────────────────────────────────
  PARLEY_WARN_DOMAIN_DUPLICATE: 'a name is defined in several domain files',
  PARLEY_WARN_DOMAIN_AMBIGUOUS: 'an entity is both used and ignored by an intent',
  PARLEY_WARN_SLOT_CONFIG: 'a slot definition is suspicious (null category, value out of range)',
  PARLEY_WARN_RESPONSE_MISSING: 'an utter_ action is listed without a response',
  // ── training data ────────────────────────────────────────────────
  PARLEY_WARN_NLU_DATA: 'an NLU item was skipped or looks wrong',
  PARLEY_WARN_SYNONYM_CONFLICT: 'the same text maps to two synonym values',
  PARLEY_WARN_STORY_DATA: 'a story or rule step was skipped or rewritten',
  PARLEY_WARN_DEPRECATED: 'a deprecated name or option was used',
  // ── config ───────────────────────────────────────────────────────
  PARLEY_WARN_CONFIG: 'config.yml lacks a recommended key',
  // ── validator ────────────────────────────────────────────────────
  PARLEY_WARN_INTENT_WITHOUT_EXAMPLES: 'a domain intent has no NLU examples',
  PARLEY_WARN_INTENT_NOT_IN_DOMAIN: 'NLU data uses an intent the domain does not list',
  PARLEY_WARN_INTENT_UNUSED: 'a domain intent is not used by any story or rule',
  PARLEY_WARN_DUPLICATE_EXAMPLE: 'the same example text is labelled with several intents',
  PARLEY_WARN_RESPONSE_UNUSED: 'a response is not used by any story, rule or form',
  PARLEY_WARN_UNKNOWN_ENTITY: 'an entity is used but not listed in the domain',
} as const;

export type ProjectWarningCode = keyof typeof PROJECT_WARNING_CODES;

/** The error a failed project load throws: its message already lists every problem. */
export class ProjectFilesError extends ParleyAggregateError {
  constructor(problems: ParleyError[], what = 'the project') {
    const codes = new Set(problems.map((problem) => problem.code));
    const code: ErrorCode = codes.size === 1 ? problems[0].code : 'PARLEY_ERR_PROJECT_INVALID';
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    const lines = problems.map((problem) => `  ${problem.toUserString()}`);
    super(code, [`Found ${count} in ${what}:`, ...lines].join('\n'), problems);
    this.name = 'ProjectFilesError';
  }

  /** The message already names every problem with its location. */
  override toUserString(): string {
    return this.message;
  }
}

/** Turns a thrown or collected error into the plain issue shape the validator returns. */
export function issueFromError(error: ParleyError): ProjectIssue {
  return {
    severity: 'error',
    code: error.code,
    message: error.message,
    ...(error.location ? locationFields(error.location) : {}),
  };
}

function locationFields(location: FileLocation): Pick<ProjectIssue, 'file' | 'line' | 'column'> {
  const fields: Pick<ProjectIssue, 'file' | 'line' | 'column'> = { file: location.file };
  if (location.line !== undefined) fields.line = location.line;
  if (location.column !== undefined) fields.column = location.column;
  return fields;
}

/** Formats an issue as `file:line:column: message` (or just the message without a file). */
export function formatIssue(issue: ProjectIssue): string {
  if (issue.file === undefined) return issue.message;
  const where = formatLocation({ file: issue.file, line: issue.line, column: issue.column });
  return `${where}: ${issue.message}`;
}

/** Gathers errors and warnings while files are read; nothing stops at the first problem. */
export class IssueCollector {
  readonly #errors: ParleyError[] = [];
  readonly #warnings: ProjectIssue[] = [];

  error(code: ErrorCode, message: string, location?: FileLocation): void {
    this.#errors.push(new ParleyError(code, message, location ? { location } : {}));
  }

  addError(error: ParleyError): void {
    this.#errors.push(error);
  }

  warn(code: ProjectWarningCode, message: string, location?: FileLocation): void {
    this.#warnings.push({
      severity: 'warning',
      code,
      message,
      ...(location ? locationFields(location) : {}),
    });
  }

  get hasErrors(): boolean {
    return this.#errors.length > 0;
  }

  get errorCount(): number {
    return this.#errors.length;
  }

  get errors(): readonly ParleyError[] {
    return this.#errors;
  }

  get warnings(): ProjectIssue[] {
    return [...this.#warnings];
  }

  /** Errors first, then warnings, each in the order they were found. */
  toIssues(): ProjectIssue[] {
    return [...this.#errors.map(issueFromError), ...this.#warnings];
  }

  /** Throws one {@link ProjectFilesError} listing every error collected so far. */
  throwIfErrors(what?: string): void {
    if (this.#errors.length > 0) throw new ProjectFilesError([...this.#errors], what);
  }
}
