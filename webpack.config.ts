import CopyWebpackPlugin from 'copy-webpack-plugin';
import path from 'path';
import type { Configuration } from 'webpack';
import { merge } from 'webpack-merge';

import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

// Extends the generated config (which stays untouched in .config/) the way create-plugin documents:
// https://grafana.com/developers/plugin-tools/how-to-guides/extend-configurations#extend-the-webpack-config
const config = async (env: Env): Promise<Configuration> => {
  const baseConfig = await grafanaConfig(env);

  return merge(baseConfig, {
    cache: {
      type: 'filesystem',
      // The generated config only lists itself; changes to this file must invalidate the cache too.
      buildDependencies: { config: [path.resolve(process.cwd(), 'webpack.config.ts')] },
    },
    plugins: [
      // The generated copy rules only know the root plugin's logos; the nested data source names its own
      // (datasource/plugin.json -> img/logo.svg), which Grafana resolves relative to dist/datasource/.
      new CopyWebpackPlugin({
        patterns: [{ from: 'datasource/img', to: 'datasource/img' }],
      }),
    ],
  });
};

export default config;
