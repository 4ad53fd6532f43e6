/**
 * @module Starting and stopping the server as a process. On SIGTERM or SIGINT the server stops
 * accepting connections, lets the requests in flight finish, then the caller's `onClose` runs
 * (closing the database only after the last request used it) and the process exits 0. A second
 * signal means the operator will not wait: the process exits 1 at once.
 */
import type { Server, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';

export interface ListenOptions {
  port: number;
  host: string;
  /** Runs after the last request finished, e.g. to close the database. */
  onClose?: () => Promise<void>;
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** Listens, installs the shutdown on SIGTERM and SIGINT, and returns the address, e.g. `http://127.0.0.1:8080`. */
export async function listen(app: FastifyInstance, options: ListenOptions): Promise<string> {
  const { port, host, onClose } = options;
  const inFlight = trackResponses(app.server);
  let stopping = false;

  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      app.log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
      return;
    }
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing requests in flight');
    for (const response of inFlight) closeWhenDone(app.server, response);
    shutdown(app, onClose).then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };

  for (const signal of SIGNALS) process.on(signal, onSignal);
  // When the server is closed some other way (an embedding process), the handlers go with it. The
  // server's own event, not an onClose hook: hooks cannot be added once the caller awaited `ready()`.
  app.server.once('close', () => {
    if (!stopping) for (const signal of SIGNALS) process.off(signal, onSignal);
  });

  try {
    return await app.listen({ port, host });
  } catch (error) {
    for (const signal of SIGNALS) process.off(signal, onSignal);
    throw new Error(`cannot listen on ${host}:${port}`, { cause: error });
  }
}

async function shutdown(app: FastifyInstance, onClose: (() => Promise<void>) | undefined): Promise<void> {
  await app.close();
  if (onClose === undefined) return;
  try {
    await onClose();
  } catch (error) {
    throw new Error('the onClose hook failed during shutdown', { cause: error });
  }
}

/** The responses not yet finished; they are the requests a shutdown waits for. */
function trackResponses(server: Server): Set<ServerResponse> {
  const responses = new Set<ServerResponse>();
  server.on('request', (_request, response: ServerResponse) => {
    responses.add(response);
    response.once('close', () => responses.delete(response));
  });
  return responses;
}

/**
 * `app.close()` waits for every connection to end, and a keep-alive client (every browser) keeps
 * its connection open after the response, for the keep-alive timeout (72 s in Fastify). So a
 * response still in flight at shutdown closes its connection once it is sent.
 */
function closeWhenDone(server: Server, response: ServerResponse): void {
  if (!response.headersSent) response.setHeader('connection', 'close');
  else response.once('finish', () => setImmediate(() => server.closeIdleConnections()));
}
