import type { ReactFlowState } from '@xyflow/react';

/**
 * Below this zoom a node is a few pixels tall and its text unreadable: tasks are drawn as bare
 * boxes and edges without their wide hit path, so a 500-task overview creates and paints a third
 * of the elements it would at full detail.
 */
export const FAR_ZOOM = 0.35;

export const isFar = (s: ReactFlowState): boolean => s.transform[2] < FAR_ZOOM;
