export declare const API_ROUTES: ReadonlyArray<readonly [pattern: string, methods: readonly string[]]>;
export type MethodDecision =
  /** Let Next answer. */
  | { kind: "pass" }
  /** Answer 405; `allow` is absent when the address is unknown. */
  | { kind: "not-allowed"; allow?: string; api: boolean }
  /** OPTIONS on a page: 204 with `Allow`. */
  | { kind: "options"; allow: string };
export declare function decideMethod(method: string, rawPath: string): MethodDecision;
export declare function methodAnswer(decision: Exclude<MethodDecision, { kind: "pass" }>): {
  status: number;
  headers: Record<string, string>;
  body: string;
};
