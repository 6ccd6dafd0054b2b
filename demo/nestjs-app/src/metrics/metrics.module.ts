import { DynamicModule, Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';

/**
 * The seed's MetricsModule: `@willsoto/nestjs-prometheus` serves the default prom-client registry
 * (with prom-client's default process/Node.js metrics) at the configured path.
 */
@Module({})
export class MetricsModule {
  static register(metricsPath: string): DynamicModule {
    return {
      module: MetricsModule,
      imports: [
        PrometheusModule.register({
          // Nest controller paths are written without the leading slash.
          path: metricsPath.replace(/^\//, ''),
          defaultMetrics: { enabled: true },
        }),
      ],
    };
  }
}
