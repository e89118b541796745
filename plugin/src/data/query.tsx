/**
 * A small query cache in the style of react-query, written here because the real one is not a
 * dependency (the bundle budget is tight): `useQuery` (loading / error / data, refetch, optional
 * polling), `useMutation` (pending / error, invalidates query keys when it succeeds), and a
 * QueryClient per app instance (<QueryProvider>, given by App; tests give a fresh one each).
 *
 * Keys are arrays (see ./keys.ts); invalidating a key invalidates every key it prefixes, so
 * `invalidate(['targets'])` refetches every targets list and target that is on screen.
 * Concurrent fetches of one key share one request. A query refetches when a component mounts it,
 * when it is invalidated, and on its polling interval; its data stays while it refetches.
 */
import React, {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import { RunnerError, toRunnerError } from '../api/errors';

export type QueryKey = readonly unknown[];

interface Snapshot<T> {
  data?: T;
  error?: RunnerError;
  fetching: boolean;
  /** When data or error last arrived (0: never). */
  updatedAt: number;
}

interface Entry {
  key: QueryKey;
  snapshot: Snapshot<unknown>;
  listeners: Set<() => void>;
  fetcher?: () => Promise<unknown>;
  inflight?: Promise<void>;
  /** Set by invalidate: the next mount or the running fetch's end fetches again. */
  stale: boolean;
}

const hashKey = (key: QueryKey) => JSON.stringify(key);

function hasPrefix(key: QueryKey, prefix: QueryKey): boolean {
  return prefix.length <= key.length && prefix.every((part, i) => JSON.stringify(part) === JSON.stringify(key[i]));
}

export class QueryClient {
  private readonly entries = new Map<string, Entry>();

  private entry(key: QueryKey): Entry {
    const hash = hashKey(key);
    let entry = this.entries.get(hash);
    if (!entry) {
      entry = { key, snapshot: { fetching: false, updatedAt: 0 }, listeners: new Set(), stale: true };
      this.entries.set(hash, entry);
    }
    return entry;
  }

  private update(entry: Entry, change: Partial<Snapshot<unknown>>): void {
    entry.snapshot = { ...entry.snapshot, ...change };
    entry.listeners.forEach((listener) => listener());
  }

  getSnapshot<T>(key: QueryKey): Snapshot<T> {
    return this.entry(key).snapshot as Snapshot<T>;
  }

  subscribe(key: QueryKey, listener: () => void): () => void {
    const entry = this.entry(key);
    entry.listeners.add(listener);
    return () => entry.listeners.delete(listener);
  }

  setFetcher(key: QueryKey, fetcher: () => Promise<unknown>): void {
    this.entry(key).fetcher = fetcher;
  }

  /** True when the key has no data yet or was invalidated. */
  isStale(key: QueryKey): boolean {
    return this.entry(key).stale;
  }

  /** Fetches the key now, unless a fetch is under way (then that one is awaited). */
  fetch(key: QueryKey): Promise<void> {
    const entry = this.entry(key);
    if (entry.inflight) {
      return entry.inflight;
    }
    const fetcher = entry.fetcher;
    if (!fetcher) {
      return Promise.resolve();
    }
    entry.stale = false;
    this.update(entry, { fetching: true });
    entry.inflight = fetcher().then(
      (data) => {
        entry.inflight = undefined;
        this.update(entry, { data, error: undefined, fetching: false, updatedAt: Date.now() });
      },
      (error: unknown) => {
        entry.inflight = undefined;
        this.update(entry, { error: toRunnerError(error), fetching: false, updatedAt: Date.now() });
      }
    );
    return entry.inflight.then(() => {
      // invalidated while the request was under way: its answer may predate the change
      if (entry.stale && entry.listeners.size > 0) {
        return this.fetch(key);
      }
      return undefined;
    });
  }

  /** Marks every key starting with `prefix` stale and refetches those on screen. */
  invalidate(prefix: QueryKey): Promise<void> {
    const fetches: Array<Promise<void>> = [];
    for (const entry of this.entries.values()) {
      if (hasPrefix(entry.key, prefix)) {
        entry.stale = true;
        if (entry.listeners.size > 0 && !entry.inflight) {
          fetches.push(this.fetch(entry.key));
        }
      }
    }
    return Promise.all(fetches).then(() => undefined);
  }
}

const QueryClientContext = createContext<QueryClient | null>(null);

export function QueryProvider({ client, children }: { client?: QueryClient; children: React.ReactNode }) {
  const [own] = useState(() => client ?? new QueryClient());
  return <QueryClientContext.Provider value={client ?? own}>{children}</QueryClientContext.Provider>;
}

export function useQueryClient(): QueryClient {
  const client = useContext(QueryClientContext);
  if (!client) {
    throw new Error('useQueryClient: no <QueryProvider> above this component (App provides one)');
  }
  return client;
}

export interface QueryOptions<T = unknown> {
  /** false: do not fetch (yet); the state stays empty and not loading. Default true. */
  enabled?: boolean;
  /**
   * Refetch this often while mounted (polling); or a function of the latest data (undefined before
   * the first answer) that says how often, e.g. poll a run only while it is active.
   */
  refetchIntervalMs?: number | ((data: T | undefined) => number | undefined);
}

export interface QueryState<T> {
  data: T | undefined;
  /** The last fetch's error (kept data, if any, is still in `data`). */
  error: RunnerError | undefined;
  /** No answer yet and a fetch is due or under way: show a loading state. */
  isLoading: boolean;
  /** A fetch is under way (also a background refetch). */
  isFetching: boolean;
  /** Fetches again now. */
  refetch: () => Promise<void>;
}

export function useQuery<T>(key: QueryKey, fetcher: () => Promise<T>, options: QueryOptions<T> = {}): QueryState<T> {
  const client = useQueryClient();
  const { enabled = true, refetchIntervalMs } = options;
  // the key is identified by its hash: a new array with the same parts is the same query
  const hash = hashKey(key);
  const stableKey = useMemo(() => JSON.parse(hash) as QueryKey, [hash]);
  // the latest fetcher, for fetches started by effects, timers and invalidations
  const fetcherRef = useRef(fetcher);
  useLayoutEffect(() => {
    fetcherRef.current = fetcher;
  });

  const subscribe = useCallback((listener: () => void) => client.subscribe(stableKey, listener), [client, stableKey]);
  const getSnapshot = useCallback(() => client.getSnapshot<T>(stableKey), [client, stableKey]);
  const snapshot = useSyncExternalStore(subscribe, getSnapshot);
  const interval = typeof refetchIntervalMs === 'function' ? refetchIntervalMs(snapshot.data) : refetchIntervalMs;

  useEffect(() => {
    client.setFetcher(stableKey, () => fetcherRef.current());
    if (enabled) {
      void client.fetch(stableKey);
    }
  }, [client, stableKey, enabled]);

  useEffect(() => {
    if (!enabled || !interval) {
      return undefined;
    }
    const timer = setInterval(() => void client.fetch(stableKey), interval);
    return () => clearInterval(timer);
  }, [client, stableKey, enabled, interval]);

  const refetch = useCallback(() => client.fetch(stableKey), [client, stableKey]);

  return {
    data: snapshot.data,
    error: snapshot.error,
    isLoading: enabled && snapshot.updatedAt === 0,
    isFetching: snapshot.fetching,
    refetch,
  };
}

export interface MutationOptions<V, R> {
  /** Query keys (prefixes) to refetch after a success. */
  invalidates?: QueryKey[] | ((variables: V, result: R) => QueryKey[]);
}

export interface MutationState<V, R> {
  /** Runs the mutation; resolves with the answer, rejects with a RunnerError (also kept in `error`). */
  mutate: (variables: V) => Promise<R>;
  isPending: boolean;
  error: RunnerError | undefined;
  /** The last success's answer. */
  data: R | undefined;
  /** Forgets `error` and `data` (e.g. when a form is reopened). */
  reset: () => void;
}

export function useMutation<V, R>(
  mutation: (variables: V) => Promise<R>,
  options: MutationOptions<V, R> = {}
): MutationState<V, R> {
  const client = useQueryClient();
  const [state, setState] = useState<{ isPending: boolean; error?: RunnerError; data?: R }>({ isPending: false });
  const latest = useRef({ mutation, options });
  useLayoutEffect(() => {
    latest.current = { mutation, options };
  });

  const mutate = useCallback(
    async (variables: V) => {
      setState((previous) => ({ ...previous, isPending: true, error: undefined }));
      try {
        const result = await latest.current.mutation(variables);
        setState({ isPending: false, data: result });
        const { invalidates = [] } = latest.current.options;
        const keys = typeof invalidates === 'function' ? invalidates(variables, result) : invalidates;
        keys.forEach((key) => void client.invalidate(key));
        return result;
      } catch (thrown) {
        const error = toRunnerError(thrown);
        setState({ isPending: false, error });
        throw error;
      }
    },
    [client]
  );

  const reset = useCallback(() => setState({ isPending: false }), []);

  return { mutate, isPending: state.isPending, error: state.error, data: state.data, reset };
}
