import { describe, expect, it } from 'vitest';
import { spanIdOf, traceIdOf, traceparentOf, tracingEnabled } from './ids';

describe('trace ids', () => {
  const run = '0B6A4C1E-2F3D-4A5B-8C7D-9E0F1A2B3C4D';
  it('a run is its trace; span ids are 16 hex digits, stable and distinct per subject', () => {
    expect(traceIdOf(run)).toBe('0b6a4c1e2f3d4a5b8c7d9e0f1a2b3c4d');
    expect(spanIdOf('run', run)).toMatch(/^[0-9a-f]{16}$/);
    expect(spanIdOf('run', run)).toBe(spanIdOf('run', run.toLowerCase()));
    expect(spanIdOf('task', run)).not.toBe(spanIdOf('run', run));
    expect(traceparentOf(run, run)).toBe(
      `00-0b6a4c1e2f3d4a5b8c7d9e0f1a2b3c4d-${spanIdOf('attempt', run)}-01`,
    );
  });
  it('is enabled by an OTLP endpoint only', () => {
    expect(tracingEnabled({})).toBe(false);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318' })).toBe(true);
  });
});
