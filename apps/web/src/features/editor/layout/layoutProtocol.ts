// Messages between the page and layout.worker.ts. Requests carry an id that the reply echoes, so
// replies can be matched to requests when several are in flight.
import { computeLayout, type LayoutDirection, type LayoutInput, type Pos } from './computeLayout';

export interface LayoutRequest {
  id: number;
  input: LayoutInput;
  direction?: LayoutDirection;
}

export interface LayoutResponse {
  id: number;
  /** Empty when the layout failed. */
  positions: Record<string, Pos>;
  error?: string;
}

/** What the worker does with one request; never throws, a failure comes back as `error`. */
export function handleLayoutRequest(request: LayoutRequest): LayoutResponse {
  try {
    return { id: request.id, positions: computeLayout(request.input, request.direction ?? 'LR') };
  } catch (error) {
    return {
      id: request.id,
      positions: {},
      error: error instanceof Error ? error.message : String(error),
    };
  }
}
