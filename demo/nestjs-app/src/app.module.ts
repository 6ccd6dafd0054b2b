import { DynamicModule, Module } from '@nestjs/common';

import { Latency } from './common/latency';
import { APP_CONFIG, AppConfig } from './config';
import { DatabaseService } from './db/database.service';
import { MetricsModule } from './metrics/metrics.module';
import { isOpenTelemetryProfile } from './metrics/profiles';
import { OrdersController } from './orders/orders.controller';
import { PaymentsController } from './payments/payments.controller';
import { ProductsController } from './products/products.controller';
import { UsersController } from './users/users.controller';

/**
 * The seed's GatewayModule: the metrics module plus the service's controllers. The OpenTelemetry
 * profiles serve their metrics from the OpenTelemetry exporter instead of prom-client's registry.
 */
@Module({})
export class AppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: isOpenTelemetryProfile(config.profile) ? [] : [MetricsModule.register(config.metricsPath)],
      controllers: [ProductsController, UsersController, OrdersController, PaymentsController],
      providers: [{ provide: APP_CONFIG, useValue: config }, Latency, DatabaseService],
    };
  }
}
