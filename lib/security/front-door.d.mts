export declare const CLIENT_HEADER: "x-portrait-live-client";
export declare const FRONT_DOOR_MARK: unique symbol;
export declare function parseTrustedProxies(value: string | undefined): (address: string, hop: number) => boolean;
export declare function allowedHostNames(config: { publicBaseUrl?: string; allowedHosts?: string }): Set<string>;
export declare function isValidHostName(name: string): boolean;
export declare function isAllowedHost(host: string | undefined | null, names: Set<string>): boolean;
export declare function clientKeyOf(address: string): string;
export interface IncomingLike {
  headers: Record<string, string | string[] | undefined>;
  socket: { remoteAddress?: string };
  /** The request line's target; an absolute-form one is rewritten to its path when admitted. */
  url?: string;
}
export type Verdict = { ok: true; client: string } | { ok: false; status: number; message: string };
export declare function createFrontDoor(config: { trustedProxies?: string; publicBaseUrl?: string; allowedHosts?: string }): {
  admit(request: IncomingLike): Verdict;
};
