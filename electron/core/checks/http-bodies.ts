/**
 * The health bodies a target is expected to answer with. StartInsight's exact bodies
 * (TARGET.md) are the default; a profile can supply its own schemas.
 */
import { z } from 'zod';

const CheckState = z.union([z.literal('healthy'), z.string().regex(/^unhealthy: \w+$/)]);

export const STARTINSIGHT_BODIES = {
  health: z.object({ status: z.literal('healthy'), service: z.literal('startinsight-api') }).strict(),
  live: z.object({ status: z.literal('alive') }).strict(),
  ready: z.union([
    z.object({ status: z.literal('ready'), checks: z.object({ database: z.literal('healthy'), redis: z.literal('healthy') }) }).strict(),
    z.object({ status: z.literal('not_ready'), checks: z.object({ database: CheckState, redis: CheckState }) }).strict(),
  ]),
};

export interface HealthBodySchemas {
  health: z.ZodType;
  live: z.ZodType;
  ready: z.ZodType;
}
