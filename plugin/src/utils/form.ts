/**
 * A small form state hook validated by a zod/mini schema (zod/mini: the bundle budget). Values are
 * flat strings/booleans as the inputs hold them; the page's utils turn them into the request body.
 *
 * A field shows its error as soon as it was changed or left (so mistakes show before submit);
 * submitting shows every error. Errors the runner answers with (RunnerError.field) are shown on
 * their field until it changes.
 */
import { useCallback, useMemo, useState } from 'react';
import type * as z from 'zod/mini';

export type FieldErrors<V> = Partial<Record<keyof V & string, string>>;

/** The first message per top-level field of a failed parse; {} when the values are valid. */
export function validate<V>(schema: z.ZodMiniType<unknown, V>, values: V): FieldErrors<V> {
  const result = schema.safeParse(values);
  const errors: FieldErrors<V> = {};
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = String(issue.path[0] ?? '') as keyof V & string;
      if (field && errors[field] === undefined) {
        errors[field] = issue.message;
      }
    }
  }
  return errors;
}

export interface FormState<V> {
  values: V;
  setValue: <K extends keyof V & string>(name: K, value: V[K]) => void;
  /** Marks a field as visited (call on blur). */
  touch: (name: keyof V & string) => void;
  /** The error to show on a field, if any. */
  error: (name: keyof V & string) => string | undefined;
  /** Every current validation error, shown or not. */
  errors: FieldErrors<V>;
  /** Shows an error from the runner on a field. */
  setServerError: (name: keyof V & string, message: string) => void;
  /** Shows every error; true when there are none. */
  submit: () => boolean;
}

export function useForm<V extends object>(schema: z.ZodMiniType<unknown, V>, initial: V): FormState<V> {
  const [values, setValues] = useState<V>(initial);
  const [visited, setVisited] = useState<Partial<Record<keyof V, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors<V>>({});
  const errors = useMemo(() => validate(schema, values), [schema, values]);

  const setValue = useCallback(<K extends keyof V & string>(name: K, value: V[K]) => {
    setValues((previous) => ({ ...previous, [name]: value }));
    setVisited((previous) => ({ ...previous, [name]: true }));
    setServerErrors((previous) => ({ ...previous, [name]: undefined }));
  }, []);

  const touch = useCallback((name: keyof V & string) => setVisited((previous) => ({ ...previous, [name]: true })), []);

  const error = useCallback(
    (name: keyof V & string) => serverErrors[name] ?? (submitted || visited[name] ? errors[name] : undefined),
    [errors, serverErrors, submitted, visited]
  );

  const setServerError = useCallback(
    (name: keyof V & string, message: string) => setServerErrors((previous) => ({ ...previous, [name]: message })),
    []
  );

  const submit = useCallback(() => {
    setSubmitted(true);
    return Object.keys(errors).length === 0;
  }, [errors]);

  return { values, setValue, touch, error, errors, setServerError, submit };
}
