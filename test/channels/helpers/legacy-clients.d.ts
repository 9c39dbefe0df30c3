/**
 * Types for the older socket.io clients installed as npm aliases: `sio-client-v2`
 * (socket.io-client 2.5, ships no types) and `sio-client-v3` (3.1, whose ESM entry has none).
 */
declare module 'sio-client-v2' {
  interface LegacySocket {
    readonly id: string;
    readonly connected: boolean;
    on(event: string, listener: (...args: any[]) => void): LegacySocket;
    emit(event: string, ...args: unknown[]): LegacySocket;
    close(): LegacySocket;
  }
  interface LegacyOptions {
    path?: string;
    transports?: string[];
    forceNew?: boolean;
    reconnection?: boolean;
    extraHeaders?: Record<string, string>;
  }
  function io(url: string, options?: LegacyOptions): LegacySocket;
  export default io;
}

declare module 'sio-client-v3' {
  interface V3Socket {
    readonly id: string;
    readonly connected: boolean;
    on(event: string, listener: (...args: any[]) => void): V3Socket;
    emit(event: string, ...args: unknown[]): V3Socket;
    close(): V3Socket;
  }
  interface V3Options {
    path?: string;
    transports?: string[];
    forceNew?: boolean;
    reconnection?: boolean;
    extraHeaders?: Record<string, string>;
    auth?: Record<string, unknown>;
  }
  export function io(url: string, options?: V3Options): V3Socket;
}
