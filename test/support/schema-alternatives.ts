import type { ZodType } from 'zod';

/** A body that is one of several (an action's, per case type) is parsed as one of them: each is walked alone. */
export function alternatives(schema: ZodType | undefined): ZodType[] {
  if (!schema) return [];
  const def = schema._zod.def as { type: string; options?: ZodType[] };
  return def.type === 'union' ? def.options! : [schema];
}
