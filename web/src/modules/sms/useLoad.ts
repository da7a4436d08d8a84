// One list loaded whole (templates, opt-outs, the inbox): rows, loading and error, and a reload.
import { useCallback, useEffect, useRef, useState } from 'react';

export function useLoad<T>(fetch: () => Promise<T>): { data: T | null; loading: boolean; error: unknown; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const fetchRef = useRef(fetch);
  fetchRef.current = fetch;
  const reload = useCallback(() => {
    setLoading(true);
    fetchRef
      .current()
      .then((result) => {
        setData(result);
        setError(null);
      })
      .catch(setError)
      .finally(() => setLoading(false));
  }, []);
  useEffect(reload, [reload]);
  return { data, loading, error, reload };
}
