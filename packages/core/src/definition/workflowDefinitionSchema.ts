// The whole validation as one zod schema, for boundaries that speak zod (tRPC inputs, form
// resolvers): parsing yields the normalized workflow, failures carry the same paths and messages.
import { z } from 'zod';
import { authoredAs } from './fields';
import { checkWorkflow } from './validateWorkflow';
import type { WorkflowInput } from './workflowSchema';

export const workflowDefinitionSchema = authoredAs<WorkflowInput>()(
  z.unknown().transform((input, ctx) => {
    const result = checkWorkflow(input);
    if (result.ok) return result.workflow;
    for (const issue of result.issues) {
      ctx.addIssue({ code: 'custom', path: [...issue.path], message: issue.message });
    }
    return z.NEVER;
  }),
);
