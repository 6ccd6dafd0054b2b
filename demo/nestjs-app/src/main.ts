import { loadConfig } from './config';
import { instrument } from './instrument';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  // Before Nest and Express are loaded: the OpenTelemetry profiles patch them as they are required.
  await instrument(config);
  const { Logger } = await import('@nestjs/common');
  const { createApp } = await import('./app');
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  new Logger('Bootstrap').log(
    `${config.domain}.${config.name} ${config.version} listening on http://${config.host}:${config.port}` +
      ` (metrics ${config.metricsPath}, profile ${config.profile}` +
      `${config.wrapMetrics ? ', WRAPPED in the JSON envelope (WRAP_METRICS)' : ''}` +
      `, database ${config.databaseUrl ? 'configured' : 'not configured'})`
  );
}

bootstrap().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
