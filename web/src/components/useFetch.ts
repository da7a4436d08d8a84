// Loads once per key (again on reload), aborting a superseded request; the data stays shown while it reloads.
import { useCallback, useEffect, useRef, useState } from 'react';
import { isAbortError } from '../api/index.ts';

export function useFetch<T>(key: string, fetch: (signal: AbortSignal) => Promise<T>): { data: T | null; loading: boolean; error: unknown; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [round, setRound] = useState(0);
  const fetchRef = useRef(fetch);
  fetchRef.current = fetch;
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    fetchRef
      .current(controller.signal)
      .then((result) => {
        setData(result);
        setError(null);
      })
      .catch((err: unknown) => {
        if (!isAbortError(err)) setError(err);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [key, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { data, loading, error, reload };
}
