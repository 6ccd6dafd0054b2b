import { BadRequestException, Body, Controller, Get, NotFoundException, Param, Post } from '@nestjs/common';

import { PaymentDeclinedError } from '../common/errors';
import { Latency } from '../common/latency';

interface Payment {
  id: string;
  orderId: number;
  amountCents: number;
  status: 'captured' | 'refunded';
}

/** Kept payments (most recent first out); enough for the load generator's look-ups. */
const MAX_PAYMENTS = 1000;

/**
 * A simulated card payment provider: slow-ish calls (median 180 ms), declines for test cards and large
 * amounts (PaymentDeclinedError, 402), and an occasional unexpected connection reset on refunds
 * (a plain Error, 500).
 */
@Controller('payments')
export class PaymentsController {
  private readonly payments = new Map<string, Payment>();
  private sequence = 0;

  constructor(private readonly latency: Latency) {}

  @Post()
  async createPayment(@Body() body: { orderId?: unknown; amountCents?: unknown; card?: unknown }): Promise<Payment> {
    const orderId = Number(body?.orderId);
    const amountCents = Number(body?.amountCents);
    const card = typeof body?.card === 'string' ? body.card.replace(/\s+/g, '') : '';
    if (!Number.isInteger(orderId) || orderId < 1) {
      throw new BadRequestException('orderId must be a positive integer');
    }
    if (!Number.isInteger(amountCents) || amountCents < 1) {
      throw new BadRequestException('amountCents must be a positive integer');
    }
    if (!/^\d{12,19}$/.test(card)) {
      throw new BadRequestException('card must be 12 to 19 digits');
    }
    await this.latency.work(180, 0.6);
    if (card.endsWith('0002')) {
      throw new PaymentDeclinedError('insufficient funds', 'insufficient_funds');
    }
    if (amountCents > 500_000) {
      throw new PaymentDeclinedError('amount over the card limit', 'card_velocity_exceeded');
    }
    if (Math.random() < 0.03) {
      throw new PaymentDeclinedError('issuer declined', 'do_not_honor');
    }
    const payment: Payment = { id: `pay_${++this.sequence}`, orderId, amountCents, status: 'captured' };
    this.payments.set(payment.id, payment);
    if (this.payments.size > MAX_PAYMENTS) {
      this.payments.delete(this.payments.keys().next().value as string);
    }
    return payment;
  }

  @Get(':id')
  async getPayment(@Param('id') id: string): Promise<Payment> {
    await this.latency.work(8);
    const payment = this.payments.get(id);
    if (!payment) {
      throw new NotFoundException(`payment ${id} does not exist`);
    }
    return payment;
  }

  @Post(':id/refund')
  async refundPayment(@Param('id') id: string): Promise<Payment> {
    const payment = this.payments.get(id);
    if (!payment) {
      throw new NotFoundException(`payment ${id} does not exist`);
    }
    await this.latency.work(250, 0.5);
    if (Math.random() < 0.05) {
      throw new Error('payment provider connection reset');
    }
    payment.status = 'refunded';
    return payment;
  }
}
