/** Small zod building blocks shared by the project-file schemas. */
import { z, type IssueData, type ZodRawShape, type ZodTypeAny } from 'zod';

/** A mapping that rejects unknown keys; the issue message lists the keys that are allowed. */
export function strictObject<T extends ZodRawShape>(shape: T, what: string) {
  const allowed = Object.keys(shape).map((key) => `'${key}'`).join(', ');
  return z.object(shape).strict(`Allowed keys in ${what}: ${allowed}.`);
}

export const stringList = z.array(z.string());

/** `intent: greet` or `intent: [greet, affirm]`. */
export const stringOrStringList = z.union([z.string(), z.array(z.string())]);

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Re-reports issues of a nested parse at this position. zod only prefixes the issue's own path,
 * so the alternatives inside a union issue get the full path here.
 */
function forward(ctx: z.RefinementCtx, issues: readonly z.ZodIssue[], prefix: ReadonlyArray<string | number> = []): void {
  for (const issue of issues) {
    ctx.addIssue({ ...withFullUnionPaths(issue, [...ctx.path, ...prefix]), path: [...prefix, ...issue.path] } as IssueData);
  }
}

function withFullUnionPaths(issue: z.ZodIssue, base: ReadonlyArray<string | number>): z.ZodIssue {
  if (issue.code !== 'invalid_union') return issue;
  return {
    ...issue,
    unionErrors: issue.unionErrors.map(
      (error) =>
        new z.ZodError(error.issues.map((inner) => ({ ...withFullUnionPaths(inner, base), path: [...base, ...inner.path] }))),
    ),
  };
}

/**
 * A mapping whose kind is told by which key it has (a story step: `intent`, `action`, ...).
 * Choosing the branch by key gives one precise message instead of zod's union summary.
 */
export function keyedUnion(
  branches: ReadonlyArray<readonly [key: string, schema: ZodTypeAny]>,
  what: string,
  example: string,
  forbidden: Readonly<Record<string, string>> = {},
) {
  const keys = branches.map(([key]) => `'${key}'`).join(', ');
  return z.unknown().superRefine((value, ctx) => {
    if (!isMapping(value)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `Each ${what} must be a mapping with one of the keys ${keys}, such as '${example}'.`,
      });
      return;
    }
    const forbiddenKey = Object.keys(forbidden).find((key) => key in value);
    const branch = branches.find(([key]) => key in value);
    if (!branch) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: forbiddenKey
          ? forbidden[forbiddenKey]
          : `This ${what} has none of the keys ${keys}; found ${Object.keys(value).map((key) => `'${key}'`).join(', ') || 'nothing'}.`,
      });
      return;
    }
    const result = branch[1].safeParse(value);
    if (!result.success) forward(ctx, result.error.issues);
  });
}

/**
 * A list item written either as a bare name or as a one-key mapping `name: {properties}`
 * (intents, entities, actions in the domain).
 */
export function namedItem(what: string, properties: ZodTypeAny, nullHint: string) {
  return z.unknown().superRefine((value, ctx) => {
    if (typeof value === 'string') {
      if (value.trim() === '') ctx.addIssue({ code: z.ZodIssueCode.custom, message: `An ${what} name must not be empty.` });
      return;
    }
    if (!isMapping(value)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `Each ${what} must be a name or 'name: {properties}', not ${describeValue(value)}.`,
      });
      return;
    }
    const names = Object.keys(value);
    if (names.length !== 1) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message:
          `This ${what} item has ${names.length} keys (${names.map((name) => `'${name}'`).join(', ')}) but must have ` +
          `exactly one: its name. Indent the properties under the name.`,
      });
      return;
    }
    const [name] = names;
    const body = value[name];
    if (body === null || body === undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `The ${what} '${name}' is followed by ':' but has no properties. ${nullHint}`,
      });
      return;
    }
    const result = properties.safeParse(body);
    if (!result.success) forward(ctx, result.error.issues, [name]);
  });
}

/** A value described for a message: "a list", "the number 3", "empty (null)". */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text '${value}'`;
  return `${typeof value === 'boolean' ? 'the value' : `the ${typeof value}`} ${String(value)}`;
}
