import { getBackendSrv, isFetchError } from '@grafana/runtime';

export interface HealthResult {
  ok: boolean;
  message: string;
}

interface HealthResponse {
  status?: string;
  message?: string;
}

/** Runs the data source's CheckHealth through Grafana, as the "Save & test" button does. */
export async function checkDataSourceHealth(uid: string): Promise<HealthResult> {
  try {
    const response = await getBackendSrv().get<HealthResponse>(
      `/api/datasources/uid/${encodeURIComponent(uid)}/health`,
      undefined,
      undefined,
      { showErrorAlert: false }
    );
    return { ok: response.status === 'OK', message: response.message ?? '' };
  } catch (error) {
    // A failed check comes back as HTTP 400 with the backend's message in the body.
    if (isFetchError<HealthResponse>(error)) {
      return { ok: false, message: error.data?.message ?? error.statusText ?? '' };
    }
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
