import { BadRequestException, Body, Controller, Get, Inject, NotFoundException, Param, Post } from '@nestjs/common';

import { Latency } from '../common/latency';
import { APP_CONFIG, AppConfig } from '../config';
import { DatabaseService } from '../db/database.service';
import { parseId, PRODUCT_COUNT, priceCents } from '../products/catalog';

interface OrderRow {
  id: string;
  service: string;
  product_id: number;
  quantity: number;
  total_cents: number;
  status: string;
  created_at: Date;
}

/** Orders live in PostgreSQL: every endpoint runs real SQL through `pg`. */
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly db: DatabaseService,
    private readonly latency: Latency,
    @Inject(APP_CONFIG) private readonly config: AppConfig
  ) {}

  @Get()
  async listOrders(): Promise<OrderRow[]> {
    return this.db.query<OrderRow>(
      'SELECT id, service, product_id, quantity, total_cents, status, created_at FROM demo_orders ORDER BY id DESC LIMIT 20'
    );
  }

  @Get('stats')
  async orderStats(): Promise<Array<{ status: string; orders: string; revenue_cents: string }>> {
    return this.db.query(
      `SELECT status, count(*) AS orders, coalesce(sum(total_cents), 0) AS revenue_cents
         FROM demo_orders WHERE created_at > now() - interval '1 hour' GROUP BY status ORDER BY status`
    );
  }

  @Get(':id')
  async getOrder(@Param('id') id: string): Promise<OrderRow> {
    const orderId = parseId(id, 'order id');
    const rows = await this.db.query<OrderRow>(
      'SELECT id, service, product_id, quantity, total_cents, status, created_at FROM demo_orders WHERE id = $1',
      [orderId]
    );
    if (rows.length === 0) {
      throw new NotFoundException(`order ${orderId} does not exist`);
    }
    return rows[0];
  }

  @Post()
  async createOrder(@Body() body: { productId?: unknown; quantity?: unknown }): Promise<OrderRow> {
    const productId = Number(body?.productId);
    const quantity = Number(body?.quantity);
    if (!Number.isInteger(productId) || productId < 1 || productId > PRODUCT_COUNT) {
      throw new BadRequestException(`productId must be an integer between 1 and ${PRODUCT_COUNT}`);
    }
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > 50) {
      throw new BadRequestException('quantity must be an integer between 1 and 50');
    }
    await this.latency.work(15); // stock reservation
    const rows = await this.db.query<OrderRow>(
      `INSERT INTO demo_orders (service, product_id, quantity, total_cents, status)
       VALUES ($1, $2, $3, $4, 'created')
       RETURNING id, service, product_id, quantity, total_cents, status, created_at`,
      [`${this.config.domain}.${this.config.name}`, productId, quantity, priceCents(productId) * quantity]
    );
    return rows[0];
  }
}
