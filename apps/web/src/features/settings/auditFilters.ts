// The audit log's filters as the URL keeps them (`?actor=&action=&from=&to=`, times as the
// browser's local `YYYY-MM-DDTHH:mm` of a datetime-local field) and as the API takes them.
import { auditFilters } from '@dtss/api/forms';
import { schemaErrors, type FieldErrors } from './formErrors';

export interface AuditUrlFilters {
  actor: string;
  action: string;
  from: string;
  to: string;
}

export const AUDIT_FILTER_KEYS = ['actor', 'action', 'from', 'to'] as const;

export function auditFiltersOf(params: { get(key: string): string | null }): AuditUrlFilters {
  return {
    actor: params.get('actor') ?? '',
    action: params.get('action') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
}

/** The API's filters, or the problems that keep the list from being asked (by field). */
export function auditInputOf(
  f: AuditUrlFilters,
):
  | { ok: true; input: { actor?: string; action?: string; from?: Date; to?: Date } }
  | { ok: false; errors: FieldErrors } {
  const input = {
    actor: f.actor.trim() || undefined,
    action: f.action || undefined,
    from: f.from ? new Date(f.from) : undefined,
    // A minute as typed lasts to its end: "to 10:15" includes 10:15:30.
    to: f.to ? new Date(new Date(f.to).getTime() + 59_999) : undefined,
  };
  const errors = schemaErrors(auditFilters, input);
  if (input.from && Number.isNaN(input.from.getTime())) errors.from = ['a date and time'];
  if (input.to && Number.isNaN(input.to.getTime())) errors.to = ['a date and time'];
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, input };
}
