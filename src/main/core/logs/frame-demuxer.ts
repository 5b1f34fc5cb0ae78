/**
 * Splits Docker's multiplexed stream (a non-TTY container's attach or logs output) into frames.
 * Each frame is an 8-byte header — stream type, 3 zero bytes, big-endian payload size — then the
 * payload. Network chunks cut anywhere, including inside a header, so state carries across pushes.
 */
export type FrameHandler = (stream: number, payload: Buffer) => void;

export class FrameDemuxer {
  private readonly header = Buffer.alloc(8);
  private headerFill = 0;
  private stream = 0;
  private remaining = 0;
  private parts: Buffer[] = [];

  constructor(private readonly onFrame: FrameHandler) {}

  push(chunk: Buffer): void {
    let off = 0;
    const end = chunk.length;
    while (off < end) {
      if (this.remaining === 0) {
        let size: number;
        if (this.headerFill === 0 && end - off >= 8) {
          this.stream = chunk[off]!;
          size = chunk.readUInt32BE(off + 4);
          off += 8;
        } else {
          const take = Math.min(8 - this.headerFill, end - off);
          chunk.copy(this.header, this.headerFill, off, off + take);
          this.headerFill += take;
          off += take;
          if (this.headerFill < 8) return;
          this.headerFill = 0;
          this.stream = this.header[0]!;
          size = this.header.readUInt32BE(4);
        }
        if (size === 0) continue;
        this.remaining = size;
      }
      const take = Math.min(this.remaining, end - off);
      const piece = chunk.subarray(off, off + take);
      off += take;
      this.remaining -= take;
      if (this.remaining > 0) {
        this.parts.push(piece);
      } else if (this.parts.length > 0) {
        this.parts.push(piece);
        const payload = Buffer.concat(this.parts);
        this.parts = [];
        this.onFrame(this.stream, payload);
      } else {
        this.onFrame(this.stream, piece);
      }
    }
  }

  /** Bytes of an unfinished frame, lost if the stream ends now. */
  get pendingBytes(): number {
    return this.headerFill + this.parts.reduce((n, p) => n + p.length, 0);
  }
}
