import { request } from "node:http";

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text(): string;
  json(): unknown;
}

/**
 * One HTTP request with full control where fetch has none: any Host header, and the
 * local address the connection comes from (Linux answers on all of 127.0.0.0/8, so
 * 127.0.0.2, 127.0.0.3, … are distinct loopback clients of one server).
 */
export function rawRequest(
  url: string,
  /** `target`: the request line's target as sent, e.g. an absolute-form `http://host/path` (default: the URL's path). */
  options: { method?: string; headers?: Record<string, string>; body?: string; from?: string; target?: string } = {},
): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname.replace(/^\[|\]$/g, ""),
        port: target.port,
        path: options.target ?? `${target.pathname}${target.search}`,
        method: options.method ?? "GET",
        headers: { ...(options.body !== undefined ? { "content-length": String(Buffer.byteLength(options.body)) } : {}), ...options.headers },
        localAddress: options.from,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            text: () => body.toString("utf8"),
            json: () => JSON.parse(body.toString("utf8")) as unknown,
          });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}
