import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";

/**
 * The simplest possible Range file server on node:http: what loopback and Node can
 * move on this machine, the ceiling for any app server here.
 */
export async function startLoopbackFileServer(file: string): Promise<{ url: string; close(): Promise<void> }> {
  const { size } = await stat(file);
  const server: Server = createServer((request, response) => {
    const match = /bytes=(\d+)-(\d+)/.exec(request.headers.range ?? "");
    const start = match ? Number(match[1]) : 0;
    const end = match ? Math.min(Number(match[2]), size - 1) : size - 1;
    response.writeHead(match ? 206 : 200, {
      "Content-Type": "video/mp4",
      "Content-Length": end - start + 1,
      ...(match ? { "Content-Range": `bytes ${start}-${end}/${size}` } : {}),
    });
    createReadStream(file, { start, end }).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/clip.mp4`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
