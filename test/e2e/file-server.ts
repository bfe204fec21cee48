/**
 * A plain static file server for browser tests: the files under a folder with their content type
 * and only the headers a test asks for (none: a host that cannot send COOP/COEP, so the page is
 * not cross-origin isolated), mounted at a path as a static host may mount it. A folder's address
 * serves its index.html; the mount without its slash redirects; nothing outside the folder is served.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve, sep } from 'node:path';
import { contentType } from '../../lab/server/files.js';

export interface FileServer {
  url: string;
  close(): Promise<void>;
}

export async function serveFolder(folder: string, options: { mount?: string; headers?: Readonly<Record<string, string>> } = {}): Promise<FileServer> {
  const { mount = '/', headers = {} } = options;
  const root = resolve(folder);
  const server = createServer((request, response) => {
    const path = decodeURIComponent((request.url ?? '/').split(/[?#]/)[0]);
    if (mount !== '/' && path === mount.slice(0, -1)) return void response.writeHead(301, { Location: mount }).end();
    if (!path.startsWith(mount)) return void response.writeHead(404, headers).end();
    const relative = path.slice(mount.length);
    const file = resolve(root, relative === '' || relative.endsWith('/') ? `${relative}index.html` : relative);
    if (!file.startsWith(root + sep)) return void response.writeHead(404, headers).end();
    stat(file).then(
      (info) => {
        if (!info.isFile()) return void response.writeHead(404, headers).end();
        response.writeHead(200, { ...headers, 'Content-Type': contentType(file), 'Content-Length': info.size });
        createReadStream(file).pipe(response);
      },
      () => response.writeHead(404, headers).end(),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${mount}`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
