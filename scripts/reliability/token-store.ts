// The SSM stand-in (local/ssm-stand-in.ts) behind a loopback port that can be closed and opened
// again, so a function's AWS_ENDPOINT_URL_SSM can point at a store that goes away and comes back.
import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { CREDENTIALS, startSsmStandIn, type SsmStandIn } from "../../local/ssm-stand-in";

export interface TokenStore {
  /** What AWS_ENDPOINT_URL_SSM names. */
  endpoint: string;
  standIn: SsmStandIn;
  /** The functions' environment to read the token from this store. */
  env: Record<string, string>;
  /** Closes the port: connections are refused. */
  down(): Promise<void>;
  /** Listens on the same port again. */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startTokenStore(): Promise<TokenStore> {
  const standIn = await startSsmStandIn();
  const target = new URL(standIn.endpoint);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const up = async () => {
    const listening = createServer((client) => {
      const upstream = connect(Number(target.port), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        socket.on("error", () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => listening.once("error", reject).listen(port, "127.0.0.1", resolve));
    port = (listening.address() as AddressInfo).port;
    server = listening;
  };
  const down = async () => {
    const closing = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  };
  await up();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    standIn,
    env: {
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_SESSION_TOKEN: CREDENTIALS.sessionToken,
      AWS_ENDPOINT_URL_SSM: endpoint,
    },
    down,
    up,
    close: async () => {
      await down();
      await standIn.close();
    },
  };
}
