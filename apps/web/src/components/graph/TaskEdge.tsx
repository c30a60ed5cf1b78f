'use client';
import { getBezierPath, useStore, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { isFar } from './zoom';

/**
 * A dependency on a canvas: React Flow's bezier edge drawn directly (one component, not three),
 * and without the invisible 20-unit hit path when zoomed far out, where an edge is too thin to
 * aim at and a thousand hit paths would double the SVG.
 */
export const TaskEdge = memo(function TaskEdge({
  sourceX,
  sourceY,
  targetX,
  targetY,
  sourcePosition,
  targetPosition,
  style,
  markerEnd,
  interactionWidth = 20,
}: EdgeProps) {
  const far = useStore(isFar);
  const [path] = getBezierPath({
    sourceX,
    sourceY,
    sourcePosition,
    targetX,
    targetY,
    targetPosition,
  });
  return (
    <>
      <path
        d={path}
        fill="none"
        className="react-flow__edge-path"
        style={style}
        markerEnd={markerEnd}
      />
      {far || !interactionWidth ? null : (
        <path
          d={path}
          fill="none"
          strokeOpacity={0}
          strokeWidth={interactionWidth}
          className="react-flow__edge-interaction"
        />
      )}
    </>
  );
});

export const EDGE_TYPES = { task: TaskEdge };
