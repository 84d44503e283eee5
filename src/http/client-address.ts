import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/** Which proxies to believe, as Express's `trust proxy` takes it: false trusts none, a number counts hops. */
export type TrustProxy = boolean | number | string;

/** A compiled `trust proxy`: whether the hop at `address`, `hop` steps from this server, may name the client. */
export type TrustFunction = (address: string, hop: number) => boolean;

/**
 * Compiles a `trust proxy` setting exactly as Express does, so that the app can be given the
 * compiled function and the `/oai` endpoint, which runs without Express, names the same client.
 */
export function compileTrust(setting: TrustProxy): TrustFunction {
  if (setting === true) return () => true;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  if (typeof setting === 'string') return proxyaddr.compile(setting.split(',').map((v) => v.trim()));
  return proxyaddr.compile([]);
}

/**
 * The client's address as Express's `req.ip` gives it under `setting`: the socket's peer, or the
 * X-Forwarded-For hop the trusted proxies vouch for.
 */
export function clientAddress(setting: TrustProxy, trust: TrustFunction = compileTrust(setting)): (req: IncomingMessage) => string | undefined {
  // No proxy trusted: the peer itself, without parsing X-Forwarded-For on every request.
  if (setting === false || setting === 0) return (req) => req.socket.remoteAddress;
  return (req) => proxyaddr(req, trust);
}
