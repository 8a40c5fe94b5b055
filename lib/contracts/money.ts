import Big from "big.js";

const CENTS = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * An amount in US dollars as people read prices: "$0.28", not the provider's "$0.2800".
 * Rounded half up to the cent; an amount under a cent keeps up to four decimals, so a real
 * charge never reads as "$0.00". The one formatter for every cost the app shows.
 */
export function formatUsd(amount: string | number): string {
  let value: Big;
  try {
    value = new Big(amount);
  } catch {
    return `$${amount}`;
  }
  const cents = value.round(2, Big.roundHalfUp);
  if (cents.eq(0) && !value.eq(0)) return `$${Number(value.round(4, Big.roundDown).toFixed(4))}`;
  // Formatted from the rounded decimal string: no binary rounding of the amount itself.
  return `$${CENTS.format(Number(cents.toFixed(2)))}`;
}
