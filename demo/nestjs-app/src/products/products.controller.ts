import {
  BadRequestException,
  Controller,
  Get,
  NotFoundException,
  Param,
  Query,
  RequestTimeoutException,
} from '@nestjs/common';

import { Latency } from '../common/latency';
import { parseId, Product, product, PRODUCT_COUNT } from './catalog';

/** Budget of the recommendations call; slower answers become RequestTimeoutException (408). */
const RECOMMENDATION_BUDGET_MS = 1500;

@Controller('products')
export class ProductsController {
  constructor(private readonly latency: Latency) {}

  @Get()
  async listProducts(@Query('page') page = '1'): Promise<{ page: number; items: Product[] }> {
    const p = Math.max(1, Math.min(10, Number(page) || 1));
    await this.latency.work(12);
    return { page: p, items: Array.from({ length: 10 }, (_, i) => product((p - 1) * 10 + i + 1)) };
  }

  @Get('search')
  async searchProducts(@Query('q') q?: string): Promise<Product[]> {
    if (!q || q.trim().length < 2) {
      throw new BadRequestException('q must have at least 2 characters');
    }
    await this.latency.work(40, 0.7);
    const needle = q.trim().toLowerCase();
    return Array.from({ length: PRODUCT_COUNT }, (_, i) => product(i + 1)).filter((item) =>
      item.name.toLowerCase().includes(needle)
    );
  }

  @Get(':id')
  async getProduct(@Param('id') id: string): Promise<Product> {
    const productId = parseId(id, 'product id');
    await this.latency.work(4);
    if (productId > PRODUCT_COUNT) {
      throw new NotFoundException(`product ${productId} does not exist`);
    }
    return product(productId);
  }

  /**
   * A slow dependency (a recommender): median 300 ms with a long tail. Past the 1.5 s budget the
   * request fails with RequestTimeoutException — the timeout-shaped failures of the fail histogram.
   */
  @Get(':id/recommendations')
  async getRecommendations(@Param('id') id: string): Promise<Product[]> {
    const productId = parseId(id, 'product id');
    if (productId > PRODUCT_COUNT) {
      throw new NotFoundException(`product ${productId} does not exist`);
    }
    const wouldTake = this.latency.sample(300, 0.9);
    const budget = RECOMMENDATION_BUDGET_MS;
    if (wouldTake > budget) {
      await this.latency.sleep(budget);
      throw new RequestTimeoutException(`recommendations for product ${productId} took longer than ${budget} ms`);
    }
    await this.latency.sleep(wouldTake);
    return [1, 2, 3].map((k) => product(((productId + k * 17) % PRODUCT_COUNT) + 1));
  }
}
