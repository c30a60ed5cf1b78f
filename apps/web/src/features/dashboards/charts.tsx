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
const HEIGHT = 220;

function ChartFrame({
  label,
  testId,
  children,
}: {
  label: string;
  testId: string;
  children: React.ReactElement;
}) {
  return (
    <figure className="m-0" data-testid={testId} aria-label={label}>
      <ResponsiveContainer
        width="100%"
        height={HEIGHT}
        initialDimension={{ width: 600, height: HEIGHT }}
      >
        {children}
      </ResponsiveContainer>
    </figure>
  );
}

/** Runs created per bucket, stacked by their current status. */
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
  const format = tickFormatter(bucket, spansDays);
  return (
    <ChartFrame label="Runs created per period, by status" testId="chart-runs">
      <BarChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
        <CartesianGrid stroke="var(--border)" vertical={false} />
        <XAxis dataKey="at" tickFormatter={format} minTickGap={24} {...AXIS} />
        <YAxis allowDecimals={false} {...AXIS} />
        <Tooltip
          labelFormatter={(at) => dayAndTime.format(Number(at))}
          contentStyle={TOOLTIP_STYLE}
          cursor={{ fill: 'var(--panel-2)' }}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {statuses.map((s) => (
          <Bar
            key={s}
            dataKey={s}
            name={statusLabel(s)}
            stackId="runs"
            fill={statusColor(s)}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ChartFrame>
  );
}

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
  const format = tickFormatter(bucket, spansDays);
  return (
    <ChartFrame label="Tasks ended per period" testId="chart-tasks">
      <BarChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
        <CartesianGrid stroke="var(--border)" vertical={false} />
        <XAxis dataKey="at" tickFormatter={format} minTickGap={24} {...AXIS} />
        <YAxis allowDecimals={false} {...AXIS} />
        <Tooltip
          labelFormatter={(at) => dayAndTime.format(Number(at))}
          contentStyle={TOOLTIP_STYLE}
          cursor={{ fill: 'var(--panel-2)' }}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar
          dataKey="succeeded"
          name="succeeded"
          stackId="t"
          fill={statusColor('succeeded')}
          isAnimationActive={false}
        />
        <Bar
          dataKey="failed"
          name="failed or timed out"
          stackId="t"
          fill={statusColor('failed')}
          isAnimationActive={false}
        />
        <Bar
          dataKey="other"
          name="other ends"
          stackId="t"
          fill={statusColor('cancelled')}
          isAnimationActive={false}
        />
      </BarChart>
    </ChartFrame>
  );
}
