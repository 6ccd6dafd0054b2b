import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG, AppConfig } from '../config';

/**
 * Simulated work with a realistic latency spread: log-normal around a median, so most requests are
 * close to it and a few take several times longer (the tail a p99 panel should show).
 */
@Injectable()
export class Latency {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** A log-normal sample in milliseconds (unscaled) with the given median and spread (sigma of the log). */
  sample(medianMs: number, sigma = 0.5): number {
    // Box-Muller: a standard normal from two uniforms.
    const u = 1 - Math.random();
    const v = Math.random();
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return medianMs * Math.exp(sigma * normal);
  }

  /** Waits for a log-normal time; returns the milliseconds waited. */
  async work(medianMs: number, sigma = 0.5): Promise<number> {
    const ms = this.sample(medianMs, sigma);
    await this.sleep(ms);
    return ms;
  }

  /** Waits exactly `ms` (scaled). */
  async sleep(ms: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms * this.config.latencyScale));
  }
}
