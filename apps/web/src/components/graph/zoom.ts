import type { ReactFlowState } from '@xyflow/react';
import { createContext } from 'react';

/**
 * Below this zoom a node is a few pixels tall and its text unreadable: tasks are drawn as bare
 * boxes and edges without their wide hit path, so a 500-task overview creates and paints a third
 * of the elements it would at full detail.
 */
export const FAR_ZOOM = 0.35;

export const isFar = (s: ReactFlowState): boolean => s.transform[2] < FAR_ZOOM;

/**
 * Whether the canvas is zoomed far out, for its nodes and edges. One subscription to React
 * Flow's store (in WorkflowCanvas) instead of one per node and edge: every store update ran each
 * of those selectors, a large share of a live update on a run of hundreds of tasks.
 */
export const FarContext = createContext(false);
