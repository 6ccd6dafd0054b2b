import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Pool, QueryResultRow } from 'pg';

import { DatabaseUnavailableError } from '../common/errors';
import { APP_CONFIG, AppConfig } from '../config';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS demo_orders (
  id          bigserial PRIMARY KEY,
  service     text        NOT NULL,
  product_id  integer     NOT NULL,
  quantity    integer     NOT NULL CHECK (quantity > 0),
  total_cents integer     NOT NULL,
  status      text        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
)`;

/**
 * PostgreSQL through `pg`. The schema is created on first use (under an advisory lock, as two services
 * share one database), so a service starts even while the database is still coming up; until it is
 * reachable the orders endpoints fail with DatabaseUnavailableError.
 */
@Injectable()
export class DatabaseService implements OnModuleDestroy {
  private readonly logger = new Logger(DatabaseService.name);
  private readonly pool?: Pool;
  private schemaReady?: Promise<void>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    if (config.databaseUrl) {
      this.pool = new Pool({
        connectionString: config.databaseUrl,
        max: 5,
        connectionTimeoutMillis: 2000,
        idleTimeoutMillis: 10000,
        statement_timeout: 5000,
        application_name: `${config.domain}.${config.name}`,
      });
      this.pool.on('error', (error) => this.logger.warn(`idle client error: ${error.message}`));
    }
  }

  get configured(): boolean {
    return this.pool !== undefined;
  }

  async query<R extends QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    const pool = this.pool;
    if (!pool) {
      throw new DatabaseUnavailableError('DATABASE_URL is not set');
    }
    await this.ensureSchema(pool);
    try {
      const result = await pool.query<R>(text, values);
      return result.rows;
    } catch (error) {
      throw this.translate(error);
    }
  }

  private ensureSchema(pool: Pool): Promise<void> {
    if (!this.schemaReady) {
      this.schemaReady = (async () => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('SELECT pg_advisory_xact_lock(727274)');
          await client.query(SCHEMA);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        } finally {
          client.release();
        }
      })().catch((error: unknown) => {
        this.schemaReady = undefined; // try again on the next request
        throw this.translate(error);
      });
    }
    return this.schemaReady;
  }

  /** Connection problems become DatabaseUnavailableError (503); SQL errors stay as they are. */
  private translate(error: unknown): unknown {
    const code = (error as { code?: string }).code ?? '';
    const message = error instanceof Error ? error.message : String(error);
    if (
      /^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|57P0[1-3]|08\d{3})$/.test(code) ||
      /timeout|terminat/i.test(message)
    ) {
      return new DatabaseUnavailableError(message);
    }
    return error;
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool?.end();
  }
}
