import { Logger } from '@nestjs/common';

import { createApp } from './app';
import { loadConfig } from './config';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  new Logger('Bootstrap').log(
    `${config.domain}.${config.name} ${config.version} listening on http://${config.host}:${config.port}` +
      ` (metrics ${config.metricsPath}${config.wrapMetrics ? ', WRAPPED in the JSON envelope (WRAP_METRICS)' : ''}` +
      `, database ${config.databaseUrl ? 'configured' : 'not configured'})`
  );
}

bootstrap().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
