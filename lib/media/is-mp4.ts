/** An MP4/ISO-BMFF file starts with a box whose type at bytes 4..8 is "ftyp". */
export function mp4HeadProblem(head: Buffer): string | null {
  return head.subarray(4, 8).toString("latin1") === "ftyp" ? null : "the result is not an MP4 file";
}
