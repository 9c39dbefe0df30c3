/**
 * Schemas of NLU files (`nlu:`, `responses:`) and story files (`stories:`, `rules:`). Extra
 * top-level keys are allowed (one file may be NLU + stories + domain); items and steps are strict.
 */
import { z } from 'zod';
import { responsesSchema } from './domain.js';
import { keyedUnion, strictObject } from './helpers.js';

const blockExamples = z.string().nullable().optional();

const longFormExample = strictObject(
  { text: z.string().min(1), metadata: z.unknown().optional() },
  'an example',
);

const intentItem = strictObject(
  {
    intent: z.string().min(1),
    metadata: z.unknown().optional(),
    examples: z.union([z.string(), z.array(longFormExample)]).nullable().optional(),
  },
  'an intent item',
);

const nluItem = keyedUnion(
  [
    ['intent', intentItem],
    ['synonym', strictObject({ synonym: z.string().min(1), examples: blockExamples }, 'a synonym item')],
    ['regex', strictObject({ regex: z.string().min(1), examples: blockExamples }, 'a regex item')],
    ['lookup', strictObject({ lookup: z.string().min(1), examples: blockExamples }, 'a lookup item')],
  ],
  'NLU item',
  '- intent: greet',
);

export const nluFileSchema = z
  .object({
    version: z.unknown().optional(),
    nlu: z.array(nluItem).nullable().optional(),
    responses: responsesSchema.nullable().optional(),
  })
  .passthrough();

// ── stories and rules ─────────────────────────────────────────────

const stepEntity = z.union([z.string(), z.record(z.unknown())]).superRefine((entity, ctx) => {
  if (typeof entity === 'string') return;
  for (const key of ['role', 'group'] as const) {
    if (key in entity && typeof entity[key] !== 'string') {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: `The entity '${key}' must be a text.` });
    }
  }
  if (Object.keys(entity).filter((key) => key !== 'role' && key !== 'group').length !== 1) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: "Each entity of a step is written 'entity_name: value' (plus optional 'role'/'group').",
    });
  }
});

const slotWasSetList = z.array(z.union([z.string(), z.record(z.unknown())]));

const userStep = strictObject(
  {
    intent: z.string().min(1).nullable().optional(),
    user: z.string().min(1).nullable().optional(),
    entities: z.array(stepEntity).nullable().optional(),
  },
  'a user step',
);
const actionStep = strictObject({ action: z.string().min(1).nullable() }, 'an action step');
const botStep = strictObject({ bot: z.string().min(1) }, 'a bot step');
const activeLoopStep = strictObject({ active_loop: z.string().min(1).nullable() }, 'an active_loop step');
const slotStep = strictObject({ slot_was_set: slotWasSetList }, 'a slot_was_set step');
const checkpointStep = strictObject(
  { checkpoint: z.string().min(1), slot_was_set: slotWasSetList.optional() },
  'a checkpoint step',
);
const orStep = strictObject(
  {
    or: z
      .array(
        keyedUnion(
          [
            ['intent', userStep],
            ['user', userStep],
            ['slot_was_set', slotStep],
          ],
          "alternative of an 'or' step",
          '- intent: affirm',
        ),
      )
      .min(1),
  },
  'an or step',
);

const storyStep = keyedUnion(
  [
    ['intent', userStep],
    ['user', userStep],
    ['or', orStep],
    ['action', actionStep],
    ['bot', botStep],
    ['checkpoint', checkpointStep],
    ['slot_was_set', slotStep],
    ['active_loop', activeLoopStep],
  ],
  'story step',
  '- action: utter_greet',
);

const ruleStep = keyedUnion(
  [
    ['intent', userStep],
    ['user', userStep],
    ['or', orStep],
    ['action', actionStep],
    ['slot_was_set', slotStep],
    ['active_loop', activeLoopStep],
  ],
  'rule step',
  '- action: utter_greet',
  {
    bot: "Rules cannot contain 'bot' steps; use a response action ('- action: utter_...') instead.",
    checkpoint: 'Rules cannot contain checkpoints; only stories can.',
  },
);

const conditionStep = keyedUnion(
  [
    ['active_loop', activeLoopStep],
    ['slot_was_set', slotStep],
  ],
  'rule condition',
  '- active_loop: my_form',
);

const story = strictObject(
  {
    story: z.string().nullable().optional(),
    metadata: z.unknown().optional(),
    steps: z.array(storyStep).nullable().optional(),
  },
  'a story',
);

const rule = strictObject(
  {
    rule: z.string().nullable().optional(),
    metadata: z.unknown().optional(),
    steps: z.array(ruleStep).nullable().optional(),
    condition: z.array(conditionStep).nullable().optional(),
    conversation_start: z.boolean().optional(),
    wait_for_user_input: z.boolean().optional(),
  },
  'a rule',
);

export const storiesFileSchema = z
  .object({
    version: z.unknown().optional(),
    stories: z.array(story).nullable().optional(),
    rules: z.array(rule).nullable().optional(),
  })
  .passthrough();
