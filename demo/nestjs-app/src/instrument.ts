import type { AppConfig } from './config';
import { isOpenTelemetryProfile } from './metrics/profiles';

/**
 * Starts what must run before Nest and Express are loaded: OpenTelemetry's instrumentations patch
 * `http` and `express` as they are required (the otel-* profiles). A no-op for the other profiles,
 * which instrument in src/app.ts. Load this module, and call it, before src/app.ts.
 */
export async function instrument(config: AppConfig): Promise<void> {
  if (isOpenTelemetryProfile(config.profile)) {
    const { startOpenTelemetry } = await import('./metrics/otel');
    startOpenTelemetry(config);
  }
}
