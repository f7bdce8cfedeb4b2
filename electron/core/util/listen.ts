/**
 * Listening on a port a person chose: a port in use or not allowed is their input to change
 * (InputError: CLI exit 2 with one line), never an unexpected failure.
 */
import type { Server } from 'node:net';
import { InputError } from './errors';

export class PortUnavailableError extends InputError {
  override readonly code = 'port_unavailable';
}

/** The highest TCP port; 0 asks the kernel for a free one. */
export const MAX_PORT = 65_535;

/** Listens on 127.0.0.1:`port`; resolves with the port actually bound. */
export function listenOnLoopback(server: Server, port: number, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const where = `127.0.0.1:${port}`;
      if (err.code === 'EADDRINUSE') reject(new PortUnavailableError(`Cannot serve ${what} on ${where}: the port is already in use. Choose another port, or leave the option out to use a free one.`));
      else if (err.code === 'EACCES') reject(new PortUnavailableError(`Cannot serve ${what} on ${where}: this user may not listen on port ${port} (ports below 1024 need privileges). Choose a port from 1024 to ${MAX_PORT}.`));
      else if (err.code === 'ERR_SOCKET_BAD_PORT') reject(new PortUnavailableError(`Cannot serve ${what} on port ${port}: a port is a whole number from 1 to ${MAX_PORT}.`));
      else reject(err);
    };
    server.once('error', onError);
    try {
      server.listen(port, '127.0.0.1', () => {
        server.off('error', onError);
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    } catch (err) {
      // Node throws a bad port synchronously (RangeError ERR_SOCKET_BAD_PORT).
      server.off('error', onError);
      onError(err as NodeJS.ErrnoException);
    }
  });
}
