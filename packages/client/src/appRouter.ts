// The server's router type, the one thing the client takes from the server packages. In the
// workspace it is @dtss/api's own; the package build (scripts/build.ts) replaces this module's
// declaration with a generated copy of every procedure's input and output types, without the
// server's context (database, secrets), so an installed client needs no server package.
export type { AppRouter } from '@dtss/api';
