/** What a form could not place on a field: the server's refusal, said in the form. */
export function FormAlert({ errors, testId }: { errors?: readonly string[]; testId?: string }) {
  if (!errors?.length) return null;
  return (
    <div role="alert" className="text-sm text-bad" data-testid={testId ?? 'form-error'}>
      {errors.join('; ')}
    </div>
  );
}
