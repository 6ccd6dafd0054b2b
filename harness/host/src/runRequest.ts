import {
  isDataFrame,
  LoadingState,
  toDataFrame,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceApi,
  type PanelData,
} from '@grafana/data';
import { toDataQueryError } from '@grafana/runtime';
import { catchError, concat, from, isObservable, map, of, type Observable } from 'rxjs';

// Grafana's runRequest, reduced: Loading first, then each response packet as frames; errors as panel errors.
export function harnessRunRequest(
  ds: DataSourceApi,
  request: DataQueryRequest,
  queryFunction?: typeof ds.query
): Observable<PanelData> {
  const loading: PanelData = { state: LoadingState.Loading, series: [], timeRange: request.range, request };
  const result = queryFunction ? queryFunction(request) : ds.query(request);
  const stream: Observable<DataQueryResponse> = isObservable(result)
    ? result
    : from(result as Promise<DataQueryResponse>);
  return concat(
    of(loading),
    stream.pipe(
      map((packet): PanelData => {
        const errors = packet.errors ?? (packet.error ? [packet.error] : undefined);
        return {
          state: packet.state ?? (errors?.length ? LoadingState.Error : LoadingState.Done),
          series: (packet.data ?? []).map((d: any) => (isDataFrame(d) ? d : toDataFrame(d))),
          errors,
          error: errors?.[0],
          timeRange: request.range,
          request,
        };
      }),
      catchError((err) => {
        const error = toDataQueryError(err);
        return of<PanelData>({
          state: LoadingState.Error,
          series: [],
          error,
          errors: [error],
          timeRange: request.range,
          request,
        });
      })
    )
  );
}
