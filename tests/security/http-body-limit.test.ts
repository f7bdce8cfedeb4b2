/**
 * A large response body is read up to 64 KiB, masked and kept; the rest is counted, not kept or
 * scanned. The body is a 1 MiB run of letters and digits (the shape that froze the engine),
 * served by a real HTTP server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpProbeClient, MAX_BODY_BYTES } from '../../electron/core/probes/http/client';

const EARLY = 'EarlyCanaryPw1';
const LATE = 'LateCanaryPw2';
const SIZE = 1024 * 1024;

describe('HTTP body limit', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    const filler = 'abcdefghij0123456789'.repeat(SIZE / 20 + 1);
    const head = `password=${EARLY} `;
    const tail = ` token=${LATE}`;
    const body = head + filler.slice(0, SIZE - head.length - tail.length) + tail;
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('keeps and masks the first 64 KiB, counts the rest', async () => {
    const client = new HttpProbeClient(base);
    try {
      const e = await client.exchange({ name: 'big', path: '/', timeoutMs: 20_000 });
      expect(e.status).toBe(200);
      expect(e.bodyTruncated).toBe(true);
      expect(e.bodyBytes).toBe(SIZE);
      expect(e.body.length).toBeLessThanOrEqual(MAX_BODY_BYTES);
      expect(e.body).toContain('password=*****');
      expect(e.body).not.toContain(EARLY);
      expect(e.body).not.toContain(LATE);
    } finally {
      await client.close();
    }
  });
});
