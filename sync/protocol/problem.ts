// RFC 9457 problem details: the shape of every HQ error. The till parses these too, so a refusal
// carries the same machine-readable `code` on both sides.
import { z } from 'zod';

export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  code: z.string().optional().describe('machine-readable reason, where one applies'),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional().describe('field errors of a 400'),
});
export type Problem = z.infer<typeof ProblemSchema>;
