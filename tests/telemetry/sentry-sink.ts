/** A local HTTP server standing in for Sentry's ingest endpoint: keeps every envelope it receives, un-gzipped. */
import { createServer } from 'node:http';
import { gunzipSync } from 'node:zlib';

export interface SentrySink {
  /** Every envelope received so far, as text. */
  envelopes: string[];
  /** A DSN that points here. */
  dsn: string;
  /** The event lines (those with an "exception") of the envelopes received from index `from` on. */
  events(from?: number): string[];
  close(): Promise<void>;
}

export async function startSentrySink(): Promise<SentrySink> {
  const envelopes: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      envelopes.push((req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    envelopes,
    dsn: `http://publickey@127.0.0.1:${port}/42`,
    events: (from = 0) =>
      envelopes
        .slice(from)
        .join('\n')
        .split('\n')
        .filter((line) => line.includes('"exception"')),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
