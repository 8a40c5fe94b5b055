/** The model renders 720P keeping the portrait's aspect: the short side is 720, sides even. */
export function outputSize(width: number, height: number): { width: number; height: number } {
  const even = (value: number) => Math.max(2, Math.round(value / 2) * 2);
  return width >= height
    ? { width: even((720 * width) / height), height: 720 }
    : { width: 720, height: even((720 * height) / width) };
}
