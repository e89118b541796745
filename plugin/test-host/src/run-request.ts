/**
 * TEST DOUBLE of Grafana's runRequest (public/app/features/query/state/runRequest.ts), the
 * function @grafana/scenes' SceneQueryRunner gets through `getRunRequest()`: calls
 * `datasource.query()` (Observable or Promise), merges the answer's packets by `key`, keeps the
 * `Loading` / `Streaming` / `Done` / `Error` state, turns thrown errors into `errors`, and emits a
 * `Loading` PanelData first when the answer takes longer than 200 ms, as Grafana does. Not
 * emulated: query caching, the inspector's request log, the expressions backend.
 */
import {
  type DataFrame,
  type DataQueryError,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceApi,
  LoadingState,
  type PanelData,
  toDataFrame,
} from '@grafana/data';
import { toDataQueryError } from '@grafana/runtime';
import { type Observable, catchError, from, map, merge, of, share, takeUntil, timer } from 'rxjs';

export function runRequest(
  datasource: DataSourceApi,
  request: DataQueryRequest,
  queryFunction?: typeof datasource.query
): Observable<PanelData> {
  const initial: PanelData = { state: LoadingState.Loading, series: [], request, timeRange: request.range };
  if (!request.targets.length) {
    request.endTime = Date.now();
    return of({ ...initial, state: LoadingState.Done });
  }
  const packets = new Map<string, DataFrame[]>();
  const answer = (queryFunction ? queryFunction(request) : datasource.query(request)) as
    Observable<DataQueryResponse> | Promise<DataQueryResponse>;
  const data$ = from(answer).pipe(
    map((packet): PanelData => {
      request.endTime = Date.now();
      packets.set(
        packet.key ?? 'A',
        (packet.data ?? []).map((frame) => toDataFrame(frame))
      );
      const errors: DataQueryError[] = packet.errors ?? (packet.error ? [packet.error] : []);
      let state = packet.state ?? LoadingState.Done;
      if (errors.length && state === LoadingState.Done) {
        state = LoadingState.Error;
      }
      return {
        state,
        series: [...packets.values()].flat(),
        errors: errors.length ? errors : undefined,
        error: errors[0],
        request,
        timeRange: request.range,
      };
    }),
    catchError((error: unknown) => {
      const queryError = toDataQueryError(error as never);
      return of<PanelData>({ ...initial, state: LoadingState.Error, error: queryError, errors: [queryError] });
    }),
    share()
  );
  return merge(
    timer(200).pipe(
      map(() => initial),
      takeUntil(data$)
    ),
    data$
  );
}
