import { useEffect, useState } from 'react';

/** The current time, renewed every `intervalMs`: for durations of what is still going ("running for 42 s"). */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
