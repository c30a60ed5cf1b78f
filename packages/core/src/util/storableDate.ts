// Instants Postgres can store. Its timestamp types begin in 4713 BC (and end in 294276 AD, after
// JavaScript's last date): a Date before that fails the query ("timestamp out of range"), so date
// inputs refuse it instead.
import { z } from 'zod';

/** The earliest instant a date input accepts: 1 January 4713 BC, 00:00 UTC. */
export const EARLIEST_STORABLE_DATE = new Date(Date.UTC(-4712, 0, 1));

/** A date input (a Date, or a string or number read as one) that Postgres can store. */
export function storableDate(message?: string) {
  return z.coerce
    .date(message)
    .min(
      EARLIEST_STORABLE_DATE,
      'must be in 4713 BC or later (the database stores no earlier date)',
    );
}
