import { useCallback, useEffect, useRef, useState } from 'react';

export type AsyncState<T> =
  | { status: 'loading' }
  | { status: 'ready'; value: T }
  | { status: 'failed'; error: unknown };

/**
 * Runs `load` on mount and whenever it changes (pass a stable callback), and again on `reload`. A reload
 * keeps the previous value on screen until the new one arrives; only the latest run's answer is kept.
 */
export function useAsync<T>(load: () => Promise<T>): { state: AsyncState<T>; reload: () => Promise<void> } {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const latest = useRef(0);

  const run = useCallback(async () => {
    latest.current += 1;
    const mine = latest.current;
    try {
      const value = await load();
      if (latest.current === mine) setState({ status: 'ready', value });
    } catch (error) {
      if (latest.current === mine) setState({ status: 'failed', error });
    }
  }, [load]);

  useEffect(() => {
    void run();
    return () => {
      latest.current += 1;
    };
  }, [run]);

  return { state, reload: run };
}
