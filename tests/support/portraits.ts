/** Real encoded photos made at test time, drawn the way the benchmarks draw theirs. */
export { drawPortrait as makePortrait, toDataUrl } from "../../bench/support/photos";
