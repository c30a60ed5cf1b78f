// HTTP status patterns: an exact status (503) or a class ("5xx").

export type StatusPattern = number | `${1 | 2 | 3 | 4 | 5}xx`;

export const STATUS_CLASS = /^[1-5]xx$/;

export function matchesStatus(status: number, patterns: readonly StatusPattern[]): boolean {
  return patterns.some((pattern) =>
    typeof pattern === 'number'
      ? pattern === status
      : Math.floor(status / 100) === Number(pattern[0]),
  );
}
