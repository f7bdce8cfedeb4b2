import { z } from 'zod';

/** A Postgres connection URL as the faces may send it (checked here, masked everywhere else). */
export const PostgresUrl = z
  .string()
  .min(1)
  .max(2000)
  .refine((u) => /^postgres(ql)?:\/\//.test(u), 'must start with postgres:// or postgresql://');
