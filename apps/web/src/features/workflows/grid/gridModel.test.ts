import { describe, expect, it } from 'vitest';
import {
  cellDescription,
  cellHref,
  durationBars,
  gridRows,
  moveCell,
  type GridData,
} from './gridModel';

const run = (id: string, number: number, start: number | null, end: number | null) => ({
  id,
  number,
  status: end === null ? 'running' : 'succeeded',
  createdAt: new Date(0),
  startedAt: start === null ? null : new Date(start),
  finishedAt: end === null ? null : new Date(end),
});

describe('gridRows', () => {
  it('lays the cells out by task row and run column, gaps where a run lacks a task', () => {
    const data: GridData = {
      runs: [run('r1', 1, 0, 10), run('r2', 2, 0, 20)],
      tasks: ['a', 'b', 'old'],
      cells: {
        r1: { a: ['succeeded', 5, 1], old: ['failed', 1, 2] },
        r2: { a: ['running', null, 1], b: ['pending', null, 0] },
      },
    };
    expect(gridRows(data)).toEqual([
      [
        ['succeeded', 5, 1],
        ['running', null, 1],
      ],
      [undefined, ['pending', null, 0]],
      [['failed', 1, 2], undefined],
    ]);
    expect(gridRows({ runs: [run('x', 1, null, null)], tasks: ['a'], cells: {} })).toEqual([
      [undefined],
    ]);
  });
});

describe('moveCell', () => {
  const size = { rows: 30, cols: 5 };
  it('moves by arrows and stops at the edges', () => {
    expect(moveCell({ row: 0, col: 0 }, 'ArrowDown', size)).toEqual({ row: 1, col: 0 });
    expect(moveCell({ row: 0, col: 0 }, 'ArrowUp', size)).toEqual({ row: 0, col: 0 });
    expect(moveCell({ row: 3, col: 4 }, 'ArrowRight', size)).toEqual({ row: 3, col: 4 });
    expect(moveCell({ row: 3, col: 4 }, 'ArrowLeft', size)).toEqual({ row: 3, col: 3 });
  });

  it('jumps with Home, End and the page keys', () => {
    expect(moveCell({ row: 3, col: 2 }, 'Home', size)).toEqual({ row: 3, col: 0 });
    expect(moveCell({ row: 3, col: 2 }, 'End', size)).toEqual({ row: 3, col: 4 });
    expect(moveCell({ row: 3, col: 2 }, 'Home', size, true)).toEqual({ row: 0, col: 0 });
    expect(moveCell({ row: 3, col: 2 }, 'End', size, true)).toEqual({ row: 29, col: 4 });
    expect(moveCell({ row: 3, col: 2 }, 'PageDown', size)).toEqual({ row: 13, col: 2 });
    expect(moveCell({ row: 25, col: 2 }, 'PageDown', size)).toEqual({ row: 29, col: 2 });
    expect(moveCell({ row: 3, col: 2 }, 'PageUp', size)).toEqual({ row: 0, col: 2 });
  });

  it('ignores other keys and empty grids', () => {
    expect(moveCell({ row: 0, col: 0 }, 'Enter', size)).toBeNull();
    expect(moveCell({ row: 0, col: 0 }, 'ArrowDown', { rows: 0, cols: 3 })).toBeNull();
  });
});

describe('cellDescription', () => {
  it('reads task, run, status, duration and attempts', () => {
    expect(cellDescription('load', { number: 7 }, ['retry_wait', 1500, 2])).toEqual({
      label: 'load, run #7: retry wait, 1.50 s, 2 attempts',
      lines: ['load', 'Run #7', 'retry wait', '1.50 s', '2 attempts'],
    });
    expect(cellDescription('load', { number: 7 }, ['pending', null, 1]).label).toBe(
      'load, run #7: pending, no duration yet, 1 attempt',
    );
    expect(cellDescription('gone', { number: 2 }, undefined).label).toBe(
      'gone, run #2: not in this run',
    );
  });
});

describe('durationBars and cellHref', () => {
  it('scales run durations to the longest', () => {
    expect(
      durationBars([run('a', 1, 0, 10), run('b', 2, 0, 40), run('c', 3, null, null)], 0),
    ).toEqual([0.25, 1, 0]);
    expect(durationBars([run('a', 1, 100, null)], 150)).toEqual([1]);
    expect(durationBars([], 0)).toEqual([]);
  });

  it('links a cell to its run with the task selected', () => {
    expect(cellHref('r-1', 'load data')).toBe('/runs/r-1?task=load%20data');
  });
});
