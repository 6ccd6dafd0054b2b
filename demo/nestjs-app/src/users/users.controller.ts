import { BadRequestException, Body, Controller, Get, NotFoundException, Param, Post } from '@nestjs/common';

import { Latency } from '../common/latency';
import { parseId } from '../products/catalog';

/** Users 1..USER_COUNT exist. */
const USER_COUNT = 500;

interface User {
  id: number;
  email: string;
  name: string;
}

@Controller('users')
export class UsersController {
  private nextId = USER_COUNT + 1;

  constructor(private readonly latency: Latency) {}

  @Get(':id')
  async getUser(@Param('id') id: string): Promise<User> {
    const userId = parseId(id, 'user id');
    await this.latency.work(6);
    if (userId > USER_COUNT) {
      throw new NotFoundException(`user ${userId} does not exist`);
    }
    return { id: userId, email: `user${userId}@example.com`, name: `User ${userId}` };
  }

  @Post()
  async createUser(@Body() body: { email?: unknown; name?: unknown }): Promise<User> {
    const email = typeof body?.email === 'string' ? body.email.trim() : '';
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
      throw new BadRequestException('email is missing or not an e-mail address');
    }
    await this.latency.work(25, 0.4); // password hashing and a write
    const name = typeof body?.name === 'string' && body.name.trim() ? body.name.trim() : email.split('@')[0];
    return { id: this.nextId++, email, name };
  }
}
