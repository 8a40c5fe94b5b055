import Big from "big.js";

/** Adds the provider's decimal-string costs exactly, keeping the finest precision it reported. */
export function sumCosts(costs: readonly string[]): string {
  let total = new Big(0);
  let decimals = 2;
  for (const cost of costs) {
    total = total.plus(cost);
    decimals = Math.max(decimals, cost.split(".")[1]?.length ?? 0);
  }
  return total.toFixed(decimals);
}
