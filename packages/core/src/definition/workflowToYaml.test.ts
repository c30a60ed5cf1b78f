import { describe, expect, it } from 'vitest';
import { parseWorkflowText } from './parseWorkflowText';
import { validateWorkflow } from './validateWorkflow';
import { workflowToYaml } from './workflowToYaml';

describe('workflowToYaml', () => {
  it('writes a "<<" key so that it reads back as that key, not as a merge', () => {
    const input = {
      name: 'merge-key',
      tasks: {
        call: {
          kind: 'http',
          request: { url: 'https://example.test', method: 'post', body: { '<<': false, b: 1 } },
        },
      },
    };
    const first = validateWorkflow(input);
    if (!first.ok) throw new Error('the input should be valid');
    const text = workflowToYaml(first.workflow);
    expect(text).toContain('"<<": false');
    const back = parseWorkflowText(text);
    expect(back.ok && back.workflow).toEqual(first.workflow);
  });

  it('spells out shared objects instead of writing anchors', () => {
    const shared = { a: 1 };
    expect(workflowToYaml({ x: shared, y: shared })).toBe('x:\n  a: 1\ny:\n  a: 1\n');
  });
});
