import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SOURCE_FOLDERS = ["app", "components", "lib"];
const EXTENSIONS = [".ts", ".tsx", ".mjs"];

function sourceFiles(folder: string): string[] {
  return readdirSync(path.join(ROOT, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && EXTENSIONS.some((extension) => entry.name.endsWith(extension)) && !entry.name.endsWith(".d.ts"))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)));
}

/** The project file an import names (`@/…` or relative), or null for a package. */
function resolve(from: string, specifier: string): string | null {
  const base = specifier.startsWith("@/") ? specifier.slice(2) : specifier.startsWith(".") ? path.join(path.dirname(from), specifier) : null;
  if (base === null) return null;
  const candidates = [base, ...EXTENSIONS.map((extension) => base + extension), ...EXTENSIONS.map((extension) => path.join(base, `index${extension}`))];
  return candidates.find((candidate) => existsSync(path.join(ROOT, candidate)) && EXTENSIONS.some((extension) => candidate.endsWith(extension))) ?? null;
}

interface ImportEdge {
  to: string;
  /** `import type` (or every name imported as a type): gone once compiled. */
  typeOnly: boolean;
}

/** The imports a file makes: static, re-exports and dynamic `import()`. */
function importsOf(file: string): ImportEdge[] {
  const source = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), "utf8"), ts.ScriptTarget.Latest, true);
  const edges: ImportEdge[] = [];
  const add = (specifier: string, typeOnly: boolean) => {
    const to = resolve(file, specifier);
    if (to) edges.push({ to, typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) add(node.moduleSpecifier.text, isTypeOnlyImport(node));
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) add(node.moduleSpecifier.text, node.isTypeOnly);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0]))
      add(node.arguments[0].text, false);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

function isTypeOnlyImport(declaration: ts.ImportDeclaration): boolean {
  const clause = declaration.importClause;
  if (!clause) return false; // a side-effect import
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return (
    !clause.name &&
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((element) => element.isTypeOnly)
  );
}

/** Every import of every source file, type-only and dynamic ones included. */
function importEdges(): Map<string, ImportEdge[]> {
  return new Map(SOURCE_FOLDERS.flatMap(sourceFiles).map((file) => [file, importsOf(file)]));
}

const importGraph = () => new Map([...importEdges()].map(([file, edges]) => [file, edges.map((edge) => edge.to)]));

/**
 * The floors of `lib/`, bottom first: code runs on what is below it, never on what is above.
 * Shapes and words at the bottom; parts with one outside thing each (browser, image, bus,
 * sessions, provider, media); the generation's life and the services around it; the HTTP
 * edge; the wiring (`lib/server`), which alone builds the services. `app/` and `components/`
 * stand on all of it.
 */
const FLOORS: readonly (readonly string[])[] = [
  ["lib/contracts", "lib/errors.ts", "lib/env.ts", "lib/log.ts"],
  ["lib/client", "lib/images", "lib/ffmpeg", "lib/coordination", "lib/sessions", "lib/upstream"],
  ["lib/media"],
  ["lib/generations"],
  ["lib/queue"],
  ["lib/limits"],
  ["lib/uploads"],
  ["lib/store"],
  ["lib/takes"],
  ["lib/tracker"],
  ["lib/share"],
  ["lib/security"],
  ["lib/http"],
  ["lib/server"],
];

const floorOf = (file: string): number | undefined => {
  const floor = FLOORS.findIndex((parts) => parts.some((part) => file === part || file.startsWith(`${part}/`)));
  return floor === -1 ? undefined : floor;
};

/** Imports that run code from a higher floor (type-only imports do not run anything). */
function upwardImports(edges: Map<string, ImportEdge[]>): string[] {
  return [...edges].flatMap(([file, imports]) => {
    const from = floorOf(file);
    if (from === undefined) return [];
    return imports.filter(({ to, typeOnly }) => !typeOnly && (floorOf(to) ?? Number.POSITIVE_INFINITY) > from).map(({ to }) => `${file} → ${to}`);
  });
}

/** Groups of files that import each other in a circle (Tarjan's strongly connected components). */
function circles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file)!, index.get(next)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const group: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== file);
    if (group.length > 1 || (graph.get(file) ?? []).includes(file)) found.push(group.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

describe("the import graph", () => {
  it("has no circle, type-only imports included", () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(100);
    expect(circles(graph)).toEqual([]);
  });

  it("places every folder of lib/ on a floor", () => {
    const unplaced = sourceFiles("lib").filter((file) => floorOf(file) === undefined);
    expect(unplaced).toEqual([]);
  });

  it("runs no code from a floor above (type-only imports aside)", () => {
    expect(upwardImports(importEdges())).toEqual([]);
  });

  it("builds the services only in app/ and the wiring: lib/ is handed what it needs", () => {
    const reachingForServices = [...importEdges()]
      .filter(([, imports]) => imports.some(({ to, typeOnly }) => !typeOnly && to === "lib/server/services.ts"))
      .map(([file]) => file)
      .filter((file) => !file.startsWith("app/") && !file.startsWith("lib/server/"));
    expect(reachingForServices).toEqual([]);
  });

  it("finds an upward import and lets a type-only one pass", () => {
    const edges = new Map([
      ["lib/contracts/a.ts", [{ to: "lib/server/services.ts", typeOnly: true }]],
      [
        "lib/generations/b.ts",
        [
          { to: "lib/contracts/a.ts", typeOnly: false },
          { to: "lib/http/respond.ts", typeOnly: false },
        ],
      ],
    ]);
    expect(upwardImports(edges)).toEqual(["lib/generations/b.ts → lib/http/respond.ts"]);
  });

  it("finds a circle when there is one", () => {
    const graph = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
      ["d.ts", ["a.ts"]],
    ]);
    expect(circles(graph)).toEqual([["a.ts", "b.ts", "c.ts"]]);
  });
});
