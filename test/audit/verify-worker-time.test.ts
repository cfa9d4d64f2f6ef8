import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoOfTimestamptzText } from '../../audit/verify-worker.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
let client: pg.Client;
beforeAll(async () => {
  database = await createTestDatabase();
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await database?.drop();
});

const parseTimestamptz = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ) as (text: string) => Date;

describe('isoOfTimestamptzText: the time an event was recorded, as its hash writes it', () => {
  it("is the pool's parse of PostgreSQL's own text, for times to the millisecond and finer, in UTC and in Shanghai's zone", async () => {
    // Whole seconds, each length of milliseconds PostgreSQL writes (.5, .25, .125), microseconds, and the far ends of the years.
    const instants = ['2026-01-05 02:00:00+00', '2026-01-05 02:00:00.5+00', '2026-01-05 02:00:00.25+00', '2026-01-05 02:00:00.125+00', '2026-01-05 02:00:00.000007+00', '2026-12-31 23:59:59.999999+00', '0999-03-01 00:00:00.1+00', '9999-12-31 23:59:59.99+00'];
    for (let i = 0; i < 500; i++) instants.push(new Date(Date.UTC(2020, 0, 1) + Math.floor(Math.random() * 10 * 365 * 86_400_000)).toISOString());
    for (const zone of ['UTC', 'Asia/Shanghai']) {
      await client.query(`SET TimeZone = '${zone}'`);
      const { rows } = await client.query<{ text: string }>(`SELECT t::timestamptz::text AS text FROM unnest($1::text[]) WITH ORDINALITY AS x(t, n) ORDER BY n`, [instants]);
      expect(rows).toHaveLength(instants.length);
      for (const { text } of rows) expect([text, isoOfTimestamptzText(text)]).toEqual([text, parseTimestamptz(text).toISOString()]);
    }
  });
});
