'use client';
import type { RunStatus } from '@dtss/core';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { statusColor, statusLabel } from '@/components/ui/status';
import type { Bucket, RunsPoint, TasksPoint } from './series';

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayOfMonth = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const dayAndTime = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

function tickFormatter(bucket: Bucket, spansDays: boolean): (at: number) => string {
  if (bucket === 'day') return (at) => dayOfMonth.format(at);
  return spansDays ? (at) => dayAndTime.format(at) : (at) => timeOfDay.format(at);
}

// Axis, grid and tooltip in the theme's colours (CSS variables work in SVG presentation
// attributes), so the charts follow light and dark mode.
const AXIS = { stroke: 'var(--muted)', fontSize: 11, tickLine: false } as const;
const TOOLTIP_STYLE = {
  background: 'var(--panel)',
  border: '1px solid var(--border)',
  borderRadius: 6,
  fontSize: 12,
  color: 'var(--fg)',
};
/** Every chart's height, fixed: a refresh never changes the page's layout. */
export const CHART_HEIGHT = 220;

interface Series {
  key: string;
  name: string;
  color: string;
}

/** One bar per bucket, the series stacked, on the period's time axis. */
function StackedBarChart({
  label,
  testId,
  points,
  series,
  bucket,
  spansDays,
}: {
  label: string;
  testId: string;
  points: readonly { at: number }[];
  series: readonly Series[];
  bucket: Bucket;
  spansDays: boolean;
}) {
  return (
    <figure className="m-0" data-testid={testId} aria-label={label}>
      <ResponsiveContainer
        width="100%"
        height={CHART_HEIGHT}
        initialDimension={{ width: 600, height: CHART_HEIGHT }}
      >
        <BarChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid stroke="var(--border)" vertical={false} />
          <XAxis
            dataKey="at"
            tickFormatter={tickFormatter(bucket, spansDays)}
            minTickGap={24}
            {...AXIS}
          />
          <YAxis allowDecimals={false} {...AXIS} />
          <Tooltip
            labelFormatter={(at) => dayAndTime.format(Number(at))}
            contentStyle={TOOLTIP_STYLE}
            cursor={{ fill: 'var(--panel-2)' }}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {series.map((s) => (
            <Bar
              key={s.key}
              dataKey={s.key}
              name={s.name}
              stackId="stack"
              fill={s.color}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** Runs that ended per bucket, stacked by their final status. */
export function RunsChart({
  points,
  statuses,
  bucket,
  spansDays,
}: {
  points: RunsPoint[];
  statuses: RunStatus[];
  bucket: Bucket;
  spansDays: boolean;
}) {
  return (
    <StackedBarChart
      label="Runs ended per period, by final status"
      testId="chart-runs"
      points={points}
      series={statuses.map((s) => ({ key: s, name: statusLabel(s), color: statusColor(s) }))}
      bucket={bucket}
      spansDays={spansDays}
    />
  );
}

const TASK_SERIES: readonly Series[] = [
  { key: 'succeeded', name: 'succeeded', color: statusColor('succeeded') },
  { key: 'failed', name: 'failed or timed out', color: statusColor('failed') },
  { key: 'other', name: 'other ends', color: statusColor('cancelled') },
];

/** Tasks that ended per bucket: succeeded, failed (or timed out), other ends. */
export function TasksChart({
  points,
  bucket,
  spansDays,
}: {
  points: TasksPoint[];
  bucket: Bucket;
  spansDays: boolean;
}) {
  return (
    <StackedBarChart
      label="Tasks ended per period"
      testId="chart-tasks"
      points={points}
      series={TASK_SERIES}
      bucket={bucket}
      spansDays={spansDays}
    />
  );
}
