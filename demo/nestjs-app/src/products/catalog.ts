import { BadRequestException } from '@nestjs/common';

/** Products 1..PRODUCT_COUNT exist; other ids are NotFound. */
export const PRODUCT_COUNT = 100;

const NAMES = ['Lamp', 'Chair', 'Desk', 'Mug', 'Kettle', 'Shelf', 'Rug', 'Clock', 'Vase', 'Pillow'];
const COLOURS = ['red', 'blue', 'green', 'black', 'white', 'oak', 'grey', 'amber', 'teal', 'sand'];

export interface Product {
  id: number;
  name: string;
  priceCents: number;
}

export function priceCents(id: number): number {
  return 500 + ((id * 7919) % 20000);
}

export function product(id: number): Product {
  return { id, name: `${COLOURS[id % 10]} ${NAMES[Math.floor(id / 10) % 10]}`, priceCents: priceCents(id) };
}

/** A positive integer id from a path parameter, or BadRequestException. */
export function parseId(raw: string, what: string): number {
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) {
    throw new BadRequestException(`${what} must be a positive integer, got "${raw}"`);
  }
  return Number(raw);
}
