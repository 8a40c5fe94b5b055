import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { TotalsBar } from "@/components/history/totals-bar";
import type { Totals } from "@/lib/contracts/generation";

/** The totals bar as the server would render it from totals already loaded. */
function render(totals: Totals): string {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Number.POSITIVE_INFINITY } } });
  client.setQueryData(["generations", "totals"], totals);
  const text = renderToStaticMarkup(createElement(QueryClientProvider, { client }, createElement(TotalsBar)));
  return text.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
}

const settled = { count: 2, costUsd: "0.56", unbilledCount: 0, estimatedUsd: "0.00" };

describe("the totals bar", () => {
  it("shows the estimate for what may be spent but is not billed yet, apart from the billed amount", () => {
    const text = render({ today: { count: 3, costUsd: "0.00", unbilledCount: 3, estimatedUsd: "0.90" }, month: settled, allTime: settled });
    expect(text).toContain("Today $0.00 + about $0.90 for 3 not yet billed 3 generations");
    expect(text).toContain("This month $0.56 2 generations");
  });
});

describe("the totals bar's money", () => {
  it("reads like money whatever precision the amounts come in", () => {
    const precise = { count: 1, costUsd: "0.2800", unbilledCount: 1, estimatedUsd: "0.2800" };
    const text = render({ today: precise, month: precise, allTime: precise });
    expect(text).toContain("Today $0.28 + about $0.28 for 1 not yet billed");
    expect(text).not.toContain("0.2800");
  });
});
