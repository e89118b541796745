import React from 'react';
import { LoadingPlaceholder } from '@grafana/ui';
import type { QueryState } from '../../data/query';
import { RunnerErrorAlert } from '../RunnerErrorAlert/RunnerErrorAlert';

interface Props<T> {
  query: QueryState<T>;
  /** e.g. "Loading targets" (also names the failure: "Loading targets failed"). */
  loading: string;
  /** True when the answer has nothing to show; then `empty` is rendered instead of children. */
  isEmpty?: (data: T) => boolean;
  empty?: React.ReactNode;
  children: (data: T) => React.ReactNode;
}

/**
 * The loading, error and empty states of a query, the same on every page: a placeholder while the
 * first answer is due, the runner error with what to do (and a retry), the empty state, or the data.
 * A failed refetch keeps the data on screen under the error banner.
 */
export function QueryContent<T>({ query, loading, isEmpty, empty, children }: Props<T>) {
  const { data, error, isLoading, refetch } = query;
  if (isLoading) {
    return <LoadingPlaceholder text={`${loading}…`} />;
  }
  const banner = error ? <RunnerErrorAlert error={error} action={loading} onRetry={() => void refetch()} /> : null;
  if (data === undefined) {
    return banner;
  }
  return (
    <>
      {banner}
      {isEmpty?.(data) ? empty : children(data)}
    </>
  );
}
