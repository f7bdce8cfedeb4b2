/** sse.connection-hold: concurrent event streams do not each hold a database session. */
import { z } from 'zod';
import { DEFAULT_SSE_HOLD_SECONDS } from '../../../../shared/schemas/active';
import { defineCheck, verdictOf } from '../define';
import { checkSseConnectionHold } from '../active';

export default defineCheck({
  id: 'sse.connection-hold',
  title: 'Concurrent SSE streams do not hold database connections',
  category: 'performance',
  severity: 'critical',
  fix: 'Streaming endpoints open and close a database session per poll: many open streams stay under the connection budget',
  needs: ['sse'],
  expectations: {
    http: {
      sse: z
        .strictObject({
          path: z.string().startsWith('/'),
          streams: z.number().int().positive().max(200),
          holdSeconds: z.number().positive().max(120).default(DEFAULT_SSE_HOLD_SECONDS),
          maxDbConnections: z.number().int().positive(),
          /** Which database sessions are the app's: its application_name, or its client address. */
          applicationName: z.string().min(1).optional(),
          clientAddress: z.string().min(1).optional(),
        })
        .optional(),
    },
  },
  evaluate: ({ sse }, { http }) => verdictOf(checkSseConnectionHold(sse, { totalLimit: http.sse?.maxDbConnections ?? 50, returnTolerance: 0 })),
});
