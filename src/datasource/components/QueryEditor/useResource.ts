import { useEffect, useRef, useState } from 'react';

export interface ResourceState<T> {
  value?: T;
  loading: boolean;
  error?: string;
}

/**
 * Loads a resource whenever `key` changes (undefined: nothing to load) and keeps the last answer for that key.
 * Answers that arrive after the key changed are dropped.
 */
export function useResource<T>(key: string | undefined, load: () => Promise<T>): ResourceState<T> {
  const [state, setState] = useState<ResourceState<T> & { key?: string }>({ loading: key !== undefined, key });
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });

  useEffect(() => {
    if (key === undefined) {
      return;
    }
    let current = true;
    loadRef.current().then(
      (value) => current && setState({ key, value, loading: false }),
      (error: unknown) => current && setState({ key, loading: false, error: errorMessage(error) })
    );
    return () => {
      current = false;
    };
  }, [key]);

  if (key === undefined) {
    return { loading: false };
  }
  // Until the effect for a new key runs, report loading rather than the previous key's answer.
  return state.key === key ? state : { loading: true };
}

/** The message of a failed resource call: backendSrv rejects with `{ data: { message } }` or an Error. */
export function errorMessage(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { data?: { message?: string; error?: string }; message?: string; statusText?: string };
    return e.data?.message || e.data?.error || e.message || e.statusText || String(error);
  }
  return String(error);
}
