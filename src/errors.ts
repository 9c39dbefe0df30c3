/**
 * The one catalogue of Parley's coded errors. Codes are stable: never reuse a retired code.
 * Each entry gives the HTTP status and Rasa's `reason` where the error can reach an HTTP client.
 */

export interface ErrorDefinition {
  status?: number;
  reason?: string;
}

export const ERROR_CODES = {
  // ── project files ────────────────────────────────────────────────
  PARLEY_ERR_FILE_NOT_FOUND: {},
  PARLEY_ERR_YAML_SYNTAX: {},
  PARLEY_ERR_YAML_SCHEMA: {},
  PARLEY_ERR_ENV_VAR_MISSING: {},
  PARLEY_ERR_DOMAIN_INVALID: {},
  PARLEY_ERR_TRAINING_DATA_INVALID: {},
  PARLEY_ERR_CONFIG_INVALID: {},
  PARLEY_ERR_PROJECT_INVALID: {},
  PARLEY_ERR_INTENT_UNKNOWN: {},
  PARLEY_ERR_RESPONSE_UNKNOWN: {},
  PARLEY_ERR_FORM_UNKNOWN: {},
  PARLEY_ERR_SLOT_UNKNOWN: {},
  PARLEY_ERR_SLOT_MAPPING_INVALID: {},
  // ── training and models ──────────────────────────────────────────
  PARLEY_ERR_COMPONENT_UNSUPPORTED: {},
  PARLEY_ERR_POLICY_UNSUPPORTED: {},
  PARLEY_ERR_INVALID_RULE: {},
  PARLEY_ERR_MODEL_NOT_FOUND: { status: 409, reason: 'Conflict' },
  PARLEY_ERR_MODEL_INVALID: {},
  // ── channels and server ──────────────────────────────────────────
  PARLEY_ERR_CHANNEL_UNKNOWN: {},
  PARLEY_ERR_CHANNEL_CONFIG: {},
  PARLEY_ERR_BAD_REQUEST: { status: 400, reason: 'BadRequest' },
  PARLEY_ERR_BODY_TOO_LARGE: { status: 413, reason: 'PayloadTooLarge' },
  PARLEY_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, reason: 'UnsupportedMediaType' },
  PARLEY_ERR_NOT_AUTHENTICATED: { status: 401, reason: 'NotAuthenticated' },
  PARLEY_ERR_NOT_AUTHORIZED: { status: 403, reason: 'NotAuthorized' },
  PARLEY_ERR_NOT_FOUND: { status: 404, reason: 'NotFound' },
  PARLEY_ERR_METHOD_NOT_ALLOWED: { status: 405, reason: 'MethodNotAllowed' },
  PARLEY_ERR_CLI_USAGE: {},
  // ── HTTP API (Rasa's `reason` values) ───────────────────────────
  PARLEY_ERR_NOT_ACCEPTABLE: { status: 406, reason: 'NotAcceptable' },
  PARLEY_ERR_CONVERSATION: { status: 500, reason: 'ConversationError' },
  PARLEY_ERR_PARSING: { status: 500, reason: 'ParsingError' },
  PARLEY_ERR_TRAINING: { status: 500, reason: 'TrainingError' },
  PARLEY_ERR_TRAINING_INPUT: { status: 400, reason: 'BadRequest' },
  PARLEY_ERR_TRAINING_DOMAIN: { status: 400, reason: 'InvalidDomainError' },
  PARLEY_ERR_MODEL_LOADING: { status: 500, reason: 'LoadingError' },
  PARLEY_ERR_TESTING: { status: 500, reason: 'TestingError' },
  PARLEY_ERR_TESTING_INPUT: { status: 400, reason: 'TestingError' },
  PARLEY_ERR_NOT_AVAILABLE: { status: 501, reason: 'NotImplemented' },
  PARLEY_ERR_RATE_LIMITED: { status: 429, reason: 'TooManyRequests' },
  PARLEY_ERR_PREDICTION: { status: 500, reason: 'PredictionError' },
  // ── dialogue ─────────────────────────────────────────────────────
  PARLEY_ERR_ACTION_UNKNOWN: {},
  PARLEY_ERR_ACTION_SERVER: {},
  PARLEY_ERR_ACTION_REJECTED: {},
  PARLEY_ERR_EVENT_INVALID: { status: 400, reason: 'BadRequest' },
  // ── stores, locks and brokers ────────────────────────────────────
  PARLEY_ERR_ENDPOINT_CONFIG: {},
  PARLEY_ERR_STORE_UNAVAILABLE: { status: 503, reason: 'ServiceUnavailable' },
  PARLEY_ERR_STORE_SCHEMA: {},
  PARLEY_ERR_LOCK_LOST: { status: 503, reason: 'ServiceUnavailable' },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Where in a file a problem is. */
export interface FileLocation {
  file: string;
  line?: number;
  column?: number;
}

export function formatLocation(location: FileLocation): string {
  let text = location.file;
  if (location.line !== undefined) text += `:${location.line}`;
  if (location.line !== undefined && location.column !== undefined) text += `:${location.column}`;
  return text;
}

export interface ParleyErrorOptions {
  cause?: unknown;
  location?: FileLocation;
  details?: Record<string, unknown>;
  /** A documentation URL for the HTTP error body's `help` field. */
  help?: string;
}

/** The root of every error Parley raises on purpose. Messages are written for end users. */
export class ParleyError extends Error {
  readonly code: ErrorCode;
  readonly location?: FileLocation;
  readonly details?: Record<string, unknown>;
  readonly help?: string;

  constructor(code: ErrorCode, message: string, options: ParleyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ParleyError';
    this.code = code;
    this.location = options.location;
    this.details = options.details;
    this.help = options.help;
  }

  get status(): number | undefined {
    return (ERROR_CODES[this.code] as ErrorDefinition).status;
  }

  get reason(): string | undefined {
    return (ERROR_CODES[this.code] as ErrorDefinition).reason;
  }

  /** `file:line:column: message` when a location is known. */
  toUserString(): string {
    return this.location ? `${formatLocation(this.location)}: ${this.message}` : this.message;
  }
}

/** Several problems reported at once (e.g. every validation error of a project). */
export class ParleyAggregateError extends ParleyError {
  readonly problems: ParleyError[];

  constructor(code: ErrorCode, summary: string, problems: ParleyError[]) {
    super(code, summary);
    this.name = 'ParleyAggregateError';
    this.problems = problems;
  }

  override toUserString(): string {
    return [this.message, ...this.problems.map((problem) => `  ${problem.toUserString()}`)].join(
      '\n',
    );
  }
}

export function isParleyError(error: unknown): error is ParleyError {
  return error instanceof ParleyError;
}
