import { lastValueFrom, Observable } from 'rxjs';
import type { BackendSrv, BackendSrvRequest, FetchResponse } from '@grafana/runtime';

// Grafana's backendSrv, reduced to what plugins see: fetch() as an Observable of FetchResponse, the promise
// helpers, and errors shaped like Grafana's FetchError ({ status, statusText, data, config }).
function withParams(url: string, params?: Record<string, any>): string {
  if (!params) {
    return url;
  }
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null) {
      continue;
    }
    for (const item of Array.isArray(v) ? v : [v]) {
      search.append(k, String(item));
    }
  }
  const qs = search.toString();
  return qs ? url + (url.includes('?') ? '&' : '?') + qs : url;
}

export class HarnessBackendSrv {
  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    return new Observable((subscriber) => {
      const controller = new AbortController();
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      let body: any = undefined;
      if (options.data !== undefined) {
        if (typeof options.data === 'string' || options.data instanceof FormData || options.data instanceof Blob) {
          body = options.data;
        } else {
          body = JSON.stringify(options.data);
          headers['Content-Type'] = headers['Content-Type'] ?? 'application/json';
        }
      }
      // As Grafana's backendSrv (parseRequestOptions): a local URL loses its leading slash, so that it resolves
      // against <base href="<sub-path>/"> — under a sub-path too — and carries the org.
      const local = !/^(https?:)?\/\//.test(options.url);
      if (local) {
        headers['X-Grafana-Org-Id'] = headers['X-Grafana-Org-Id'] ?? '1';
      }
      const url = withParams(local ? options.url.replace(/^\//, '') : options.url, options.params);
      window
        .fetch(url, {
          method: options.method ?? 'GET',
          headers,
          body,
          signal: controller.signal,
          credentials: 'same-origin',
        })
        .then(async (res) => {
          const text = await res.text();
          let data: any = text;
          if (options.responseType !== 'text' && text !== '') {
            try {
              data = JSON.parse(text);
            } catch {
              data = text;
            }
          }
          const response: any = {
            data,
            status: res.status,
            statusText: res.statusText,
            ok: res.ok,
            headers: res.headers,
            url: res.url,
            type: res.type,
            redirected: res.redirected,
            config: options,
          };
          if (!res.ok) {
            subscriber.error({ ...response, message: data?.message ?? res.statusText, isHandled: false });
            return;
          }
          subscriber.next(response);
          subscriber.complete();
        })
        .catch((err) => {
          if (!controller.signal.aborted) {
            subscriber.error({ status: 0, statusText: String(err), data: { message: String(err) }, config: options });
          }
        });
      return () => controller.abort();
    });
  }

  request<T = any>(options: BackendSrvRequest): Promise<T> {
    return lastValueFrom(this.fetch<T>(options)).then((r) => r.data);
  }
  datasourceRequest<T = any>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
    return lastValueFrom(this.fetch<T>(options));
  }
  get<T = any>(url: string, params?: any, requestId?: string, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.request({ ...options, url, params, requestId, method: 'GET' });
  }
  delete<T = any>(url: string, data?: any, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.request({ ...options, url, data, method: 'DELETE' });
  }
  post<T = any>(url: string, data?: any, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.request({ ...options, url, data, method: 'POST' });
  }
  patch<T = any>(url: string, data?: any, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.request({ ...options, url, data, method: 'PATCH' });
  }
  put<T = any>(url: string, data?: any, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.request({ ...options, url, data, method: 'PUT' });
  }
  resolveCancelerIfExists(_requestId: string) {}
  cancelAllInFlightRequests() {}
  getInspectorStream() {
    return new Observable<any>();
  }
  chunked(): Observable<any> {
    throw new Error('harness: backendSrv.chunked is not provided');
  }
}

export const backendSrv = new HarnessBackendSrv() as unknown as BackendSrv & HarnessBackendSrv;
