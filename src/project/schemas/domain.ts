/**
 * The domain file schema (Rasa 3.x). The top level and most property maps tolerate unknown keys
 * as Rasa's schema does; forms, response variations, mapping conditions and slot definitions
 * reject them (Rasa rejects the first two in its schema and crashes on the others).
 */
import { z } from 'zod';
import { namedItem, stringList, stringOrStringList, strictObject } from './helpers.js';

export const SLOT_TYPES = ['text', 'bool', 'categorical', 'float', 'list', 'any'] as const;
export const SLOT_MAPPING_TYPES = [
  'from_entity',
  'from_text',
  'from_intent',
  'from_trigger_intent',
  'custom',
] as const;

const intentProperties = z
  .object({
    use_entities: z.union([z.boolean(), stringList]).nullable().optional(),
    ignore_entities: stringList.nullable().optional(),
  })
  .passthrough()
  .superRefine((properties, ctx) => {
    if ('triggers' in properties) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['triggers'],
        params: { atKey: true },
        message:
          "'triggers' belongs to the MappingPolicy of Rasa 2, which Rasa 3 removed. " +
          'Write a rule instead (intent → action).',
      });
    }
  });

const entityProperties = z
  .object({
    roles: stringList.optional(),
    groups: stringList.optional(),
    influence_conversation: z.boolean().optional(),
  })
  .passthrough();

const actionProperties = z.object({ send_domain: z.boolean().optional() }).passthrough();

const mappingCondition = strictObject(
  { active_loop: z.string().min(1).nullable(), requested_slot: z.string().min(1).optional() },
  'a mapping condition',
).superRefine((condition, ctx) => {
  if (condition.active_loop === null && condition.requested_slot !== undefined) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['requested_slot'],
      params: { atKey: true },
      message: "'requested_slot' cannot be combined with 'active_loop: null' (no form is active then).",
    });
  }
});

const slotMapping = z
  .object({
    type: z.string(),
    intent: stringOrStringList.optional(),
    not_intent: stringOrStringList.optional(),
    entity: z.string().optional(),
    role: z.string().optional(),
    group: z.string().optional(),
    value: z.unknown().optional(),
    action: z.string().optional(),
    conditions: z.array(mappingCondition).optional(),
  })
  .passthrough()
  .superRefine((mapping, ctx) => {
    if (!(SLOT_MAPPING_TYPES as readonly string[]).includes(mapping.type)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['type'],
        message: `Unknown slot mapping type '${mapping.type}'. Known types: ${SLOT_MAPPING_TYPES.join(', ')}.`,
      });
    } else if (mapping.type === 'from_entity' && mapping.entity === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "A 'from_entity' mapping needs an 'entity' key." });
    } else if (mapping.type === 'from_intent' && (mapping.value === undefined || mapping.value === null)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "A 'from_intent' mapping needs a non-empty 'value' key." });
    }
  });

const TYPE_SPECIFIC_KEYS: Record<string, string> = {
  values: 'categorical',
  min_value: 'float',
  max_value: 'float',
};

const slotDefinition = strictObject(
  {
    type: z.string(),
    influence_conversation: z.boolean().optional(),
    initial_value: z.unknown().optional(),
    value_reset_delay: z.number().int().nullable().optional(),
    values: z.array(z.unknown()).nullable().optional(),
    min_value: z.number().optional(),
    max_value: z.number().optional(),
    mappings: z.array(slotMapping),
  },
  'a slot',
).superRefine((slot, ctx) => {
  if (!(SLOT_TYPES as readonly string[]).includes(slot.type)) {
    const hint =
      slot.type === 'boolean'
        ? " Did you mean 'bool'?"
        : slot.type.includes('.')
          ? ' Custom slot classes (Python module paths) cannot run in Parley.'
          : '';
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['type'],
      message: `Unknown slot type '${slot.type}'. Known types: ${SLOT_TYPES.join(', ')}.${hint}`,
    });
    return;
  }
  for (const [key, type] of Object.entries(TYPE_SPECIFIC_KEYS)) {
    if (key in slot && slot.type !== type) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [key],
        params: { atKey: true },
        message: `'${key}' only applies to ${type} slots, and this slot is of type '${slot.type}'.`,
      });
    }
  }
});

const formDefinition = strictObject(
  {
    required_slots: z.array(z.string()).nullable().optional(),
    ignored_intents: stringOrStringList.nullable().optional(),
  },
  'a form',
)
  .nullable()
  .superRefine((form, ctx) => {
    if (form && form.ignored_intents !== undefined && form.required_slots === undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: "A form that uses 'ignored_intents' must also list its 'required_slots'.",
      });
    }
  });

const button = z.object({ title: z.string().optional(), payload: z.string().optional() }).passthrough();

const responseCondition = strictObject(
  { type: z.literal('slot').optional(), name: z.string(), value: z.unknown().optional() },
  'a response condition',
);

/** One variation of a response; shared by domain files and NLU files. */
export const responseVariation = strictObject(
  {
    id: z.string().optional(),
    text: z.string().nullable().optional(),
    image: z.string().optional(),
    custom: z.record(z.unknown()).nullable().optional(),
    buttons: z.array(button).optional(),
    button_type: z.string().optional(),
    quick_replies: z.array(button).optional(),
    attachment: z.record(z.unknown()).optional(),
    elements: z.array(z.record(z.unknown())).optional(),
    channel: z.string().optional(),
    metadata: z.unknown().optional(),
    condition: z.array(responseCondition).optional(),
  },
  'a response variation',
).superRefine((variation, ctx) => {
  const hasText = typeof variation.text === 'string';
  const hasCustom = variation.custom !== null && variation.custom !== undefined && Object.keys(variation.custom).length > 0;
  if (!hasText && !hasCustom) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message:
        "A response variation needs a 'text' (not empty) or a non-empty 'custom'. " +
        "An image-only response must still have a 'text'.",
    });
  }
});

export const responsesSchema = z.record(z.array(responseVariation));

export const domainSchema = z
  .object({
    version: z.unknown().optional(),
    intents: z
      .array(
        namedItem(
          'intent',
          intentProperties,
          "Remove the ':' after the intent name, or add 'use_entities'/'ignore_entities' under it.",
        ),
      )
      .nullable()
      .optional(),
    entities: z
      .array(namedItem('entity', entityProperties, "Remove the ':' after the entity name, or add 'roles'/'groups' under it."))
      .nullable()
      .optional(),
    slots: z.record(slotDefinition).nullable().optional(),
    responses: responsesSchema.nullable().optional(),
    actions: z
      .array(namedItem('action', actionProperties, "Remove the ':' after the action name, or add 'send_domain: true' under it."))
      .nullable()
      .optional(),
    forms: z.record(formDefinition).nullable().optional(),
    e2e_actions: z.array(z.string()).nullable().optional(),
    session_config: z
      .object({
        session_expiration_time: z.number().min(0).nullable().optional(),
        carry_over_slots_to_new_session: z.boolean().nullable().optional(),
      })
      .passthrough()
      .nullable()
      .optional(),
    config: z.object({ store_entities_as_slots: z.boolean().optional() }).passthrough().nullable().optional(),
  })
  .passthrough();

/** Top-level keys that make a YAML file a domain file. */
export const DOMAIN_KEYS = [
  'intents',
  'entities',
  'slots',
  'responses',
  'actions',
  'forms',
  'e2e_actions',
  'session_config',
] as const;
