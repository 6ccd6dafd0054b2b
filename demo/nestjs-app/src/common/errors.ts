import { HttpException, HttpStatus } from '@nestjs/common';

/** A card payment refused by the (simulated) payment provider: HTTP 402. */
export class PaymentDeclinedError extends HttpException {
  constructor(
    readonly reason: string,
    readonly declineCode: string
  ) {
    super(
      { statusCode: HttpStatus.PAYMENT_REQUIRED, error: 'Payment Declined', message: reason, declineCode },
      HttpStatus.PAYMENT_REQUIRED
    );
  }
}

/** The database is not configured or not reachable: HTTP 503. */
export class DatabaseUnavailableError extends HttpException {
  constructor(message: string) {
    super(
      { statusCode: HttpStatus.SERVICE_UNAVAILABLE, error: 'Database Unavailable', message },
      HttpStatus.SERVICE_UNAVAILABLE
    );
  }
}
