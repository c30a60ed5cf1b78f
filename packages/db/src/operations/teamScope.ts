/**
 * The teams a figures query covers, as `tm(id)`: one team ($1), or every team unless $1 names one
 * (the rollup). Shared by taskFigures.ts and runFigures.ts.
 */
export function teamScopeSql(oneTeam: boolean): string {
  return oneTeam
    ? '(SELECT $1::uuid AS id) tm'
    : '(SELECT id FROM teams WHERE $1::uuid IS NULL OR id = $1) tm';
}
