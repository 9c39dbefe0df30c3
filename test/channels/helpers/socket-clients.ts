/**
 * Real Socket.IO clients of three generations behind one small interface: socket.io-client 2
 * (Engine.IO 3, Rasa Webchat ≤ 1.0.0), 3 (Rasa Webchat 1.0.1) and 4.
 */
import ioV2 from 'sio-client-v2';
import { io as ioV3 } from 'sio-client-v3';
import { io as ioV4 } from 'socket.io-client';

export type Generation = 'v2' | 'v3' | 'v4';
export const GENERATIONS: Generation[] = ['v2', 'v3', 'v4'];

export interface ClientOptions {
  /** Engine.IO path. @default '/socket.io' */
  path?: string;
  /** Namespace appended to the URL. @default '/' */
  namespace?: string;
  /** v3/v4 only: the CONNECT auth object (JWT). */
  auth?: Record<string, unknown>;
  /** @default ['polling', 'websocket'] (polling first, then upgrade, as browsers do) */
  transports?: string[];
  /** Server events to record. @default ['session_confirm', 'bot_uttered'] */
  events?: string[];
  /** Extra headers on polling requests (e.g. Origin). */
  extraHeaders?: Record<string, string>;
}

interface AnySocket {
  id?: string;
  on(event: string, listener: (...args: any[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  close(): unknown;
}

export interface TestClient {
  readonly generation: Generation;
  /** The socket id as the client sees it. */
  id(): string;
  emit(event: string, ...args: unknown[]): void;
  /** Emit with an acknowledgement callback; resolves when the server acknowledges. */
  emitWithAck(event: string, ...args: unknown[]): Promise<unknown[]>;
  /** Argument lists of every `event` received so far. */
  received(event: string): unknown[][];
  /** Resolves once `count` events named `event` have arrived in total. */
  waitFor(event: string, count?: number): Promise<unknown[][]>;
  close(): void;
}

function createSocket(generation: Generation, url: string, options: ClientOptions): AnySocket {
  const common = {
    path: options.path ?? '/socket.io',
    transports: options.transports ?? ['polling', 'websocket'],
    forceNew: true,
    reconnection: false,
    extraHeaders: options.extraHeaders,
  };
  const target = `${url}${options.namespace && options.namespace !== '/' ? options.namespace : ''}`;
  if (generation === 'v2') return ioV2(target, common) as unknown as AnySocket;
  if (generation === 'v3') return ioV3(target, { ...common, auth: options.auth }) as unknown as AnySocket;
  return ioV4(target, { ...common, auth: options.auth }) as unknown as AnySocket;
}

/** The error a connection attempt ended with. */
export class ConnectRefused extends Error {}

/** Connect and wait for the namespace CONNECT; rejects with {@link ConnectRefused} when refused. */
export function connectClient(generation: Generation, url: string, options: ClientOptions = {}): Promise<TestClient> {
  const socket = createSocket(generation, url, options);
  const log = new Map<string, unknown[][]>();
  const waiters: Array<{ event: string; count: number; resolve: (value: unknown[][]) => void }> = [];
  const record = (event: string, args: unknown[]) => {
    const list = log.get(event) ?? [];
    list.push(args);
    log.set(event, list);
    for (const waiter of [...waiters]) {
      if (waiter.event === event && list.length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(list);
      }
    }
  };
  for (const event of options.events ?? ['session_confirm', 'bot_uttered']) {
    socket.on(event, (...args: unknown[]) => record(event, args));
  }
  const client: TestClient = {
    generation,
    id: () => socket.id ?? '',
    emit: (event, ...args) => void socket.emit(event, ...args),
    emitWithAck: (event, ...args) =>
      new Promise((resolve) => void socket.emit(event, ...args, (...ackArgs: unknown[]) => resolve(ackArgs))),
    received: (event) => log.get(event) ?? [],
    waitFor: (event, count = 1) =>
      new Promise((resolve) => {
        const list = log.get(event) ?? [];
        if (list.length >= count) resolve(list);
        else waiters.push({ event, count, resolve });
      }),
    close: () => void socket.close(),
  };
  return new Promise((resolve, reject) => {
    socket.on('connect', () => resolve(client));
    const refuse = (error: unknown) => {
      socket.close();
      const message = error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error);
      reject(new ConnectRefused(message));
    };
    socket.on('connect_error', refuse);
    if (generation === 'v2') socket.on('error', refuse); // v2 reports a namespace refusal as `error`
  });
}
