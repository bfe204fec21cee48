/**
 * The addresses a class can open when `nnlab serve --host` listens beyond loopback (Node): from
 * the machine's network interfaces, the non-internal ones the chosen host actually covers.
 */
import type { NetworkInterfaceInfo } from 'node:os';

/** `os.networkInterfaces()`'s shape, so tests can pass a made-up machine. */
export type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

/** An IPv6 link-local address (fe80::/10) needs a zone (`%eth0`) that browsers do not accept in a URL. */
const LINK_LOCAL_V6 = /^fe[89ab][0-9a-f]:/i;

function urlOf(address: string, family: 'IPv4' | 'IPv6', port: number): string {
  return family === 'IPv6' ? `http://[${address}]:${port}/` : `http://${address}:${port}/`;
}

/**
 * lanUrls(host, port, interfaces) lists `http://address:port/` for every non-internal address
 * the server listens on: all IPv4 ones for 0.0.0.0, IPv4 and IPv6 (not link-local) for ::, and
 * the host itself if it is one of the machine's addresses. Loopback hosts give none.
 */
export function lanUrls(host: string, port: number, interfaces: Interfaces): string[] {
  const urls: string[] = [];
  for (const infos of Object.values(interfaces)) {
    for (const info of infos ?? []) {
      if (info.internal) continue;
      const covered =
        info.address === host ||
        (host === '0.0.0.0' && info.family === 'IPv4') ||
        (host === '::' && (info.family === 'IPv4' || !LINK_LOCAL_V6.test(info.address)));
      if (covered) urls.push(urlOf(info.address, info.family, port));
    }
  }
  return [...new Set(urls)];
}
