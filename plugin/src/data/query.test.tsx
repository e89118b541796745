import React from 'react';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { RunnerError } from '../api/errors';
import { QueryClient, QueryProvider, useMutation, useQuery } from './query';

function Counter({ fetcher, intervalMs }: { fetcher: () => Promise<number>; intervalMs?: number }) {
  const query = useQuery(['count'], fetcher, { refetchIntervalMs: intervalMs });
  const bump = useMutation(async () => 'done', { invalidates: [['count']] });
  return (
    <div>
      <span data-testid="state">
        {query.isLoading ? 'loading' : query.error ? `error: ${query.error.message}` : `data: ${query.data}`}
      </span>
      <button onClick={() => void bump.mutate(undefined)}>bump</button>
    </div>
  );
}

const state = () => screen.getByTestId('state').textContent;

describe('useQuery / useMutation', () => {
  it('loads, shares one request between components of one key, and refetches after an invalidating mutation', async () => {
    let calls = 0;
    const fetcher = jest.fn(async () => ++calls);
    render(
      <QueryProvider client={new QueryClient()}>
        <Counter fetcher={fetcher} />
        <Counter fetcher={fetcher} />
      </QueryProvider>
    );
    expect(screen.getAllByTestId('state')[0]).toHaveTextContent('loading');
    await waitFor(() => expect(screen.getAllByTestId('state')[0]).toHaveTextContent('data: 1'));
    expect(fetcher).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getAllByText('bump')[0]);
    await waitFor(() => expect(screen.getAllByTestId('state')[1]).toHaveTextContent('data: 2'));
    expect(fetcher).toHaveBeenCalledTimes(2);
  });

  it('keeps the error of a failed fetch as a RunnerError', async () => {
    render(
      <QueryProvider client={new QueryClient()}>
        <Counter
          fetcher={async () => {
            throw { status: 502, data: { message: 'Bad Gateway' } };
          }}
        />
      </QueryProvider>
    );
    await waitFor(() => expect(state()).toMatch(/^error: Grafana's proxy could not reach the runner/));
  });

  it('polls on its interval', async () => {
    jest.useFakeTimers();
    try {
      let calls = 0;
      render(
        <QueryProvider client={new QueryClient()}>
          <Counter fetcher={async () => ++calls} intervalMs={1000} />
        </QueryProvider>
      );
      await act(async () => {
        await Promise.resolve();
      });
      expect(state()).toBe('data: 1');
      await act(async () => {
        jest.advanceTimersByTime(1000);
        await Promise.resolve();
      });
      expect(state()).toBe('data: 2');
    } finally {
      jest.useRealTimers();
    }
  });

  it('refetches, after the answer under way, when invalidated while a fetch is under way', async () => {
    const client = new QueryClient();
    let release: (value: number) => void = () => undefined;
    let calls = 0;
    const fetcher = () => {
      calls += 1;
      return calls === 1 ? new Promise<number>((resolve) => (release = resolve)) : Promise.resolve(calls);
    };
    render(
      <QueryProvider client={client}>
        <Counter fetcher={fetcher} />
      </QueryProvider>
    );
    await act(async () => {
      void client.invalidate(['count']);
      release(1);
    });
    await waitFor(() => expect(state()).toBe('data: 2'));
  });

  it('rejects a failed mutation with a RunnerError and keeps it in `error`', async () => {
    function Failing() {
      const mutation = useMutation(async () => {
        throw { status: 409, data: { error: { code: 'in_use', message: 'target is used by probes: p' } } };
      });
      return (
        <div>
          <button
            onClick={() => void mutation.mutate(undefined).catch((error) => expect(error).toBeInstanceOf(RunnerError))}
          >
            go
          </button>
          <span data-testid="state">
            {mutation.error ? `${mutation.error.code}: ${mutation.error.message}` : 'none'}
          </span>
        </div>
      );
    }
    render(
      <QueryProvider client={new QueryClient()}>
        <Failing />
      </QueryProvider>
    );
    fireEvent.click(screen.getByText('go'));
    await waitFor(() => expect(state()).toBe('in_use: target is used by probes: p'));
  });
});
