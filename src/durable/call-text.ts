// The answer's text as a durable call keeps it while it works: in memory as it streams, saved to
// storage a second at most after it arrived (each save writes only what is new, as one more
// piece), and bounded, so that what is kept fits every answer that shows it. A call lost to a
// restart keeps what was saved; a cancelled one, everything until the cancel.
import { jsonTextBytes } from "../tool-result.js";
import type { KeptText } from "./task.js";

/**
 * The most of an answer's text a durable call keeps, in bytes of JSON: half a result's cap
 * (MAX_RESULT_BYTES), since get_completion shows the text so far twice (as content and as
 * structuredContent.text). The rest streams on to the call's result, which has its own bound.
 */
export const KEPT_TEXT_BYTES = 450_000;

/** How long a piece of the text may wait in memory before it is saved. */
export const SAVE_TEXT_MS = 1000;

/** Where the saved pieces go: storage of their own, apart from the call's record. */
export interface TextStorage {
  /** Saves the `index`-th piece (0, 1, 2, …). */
  saveText(index: number, text: string): void;
  /** Every saved piece, in order, as one text. */
  readText(): string;
  /** Deletes every saved piece. */
  dropText(): void;
}

export class CallText {
  private readonly pieces: string[] = [];
  private bytes = 0;
  private cut = false;
  /** How many of `pieces` are saved, and how many saves there were. */
  private savedPieces = 0;
  private saves = 0;

  constructor(private readonly storage: TextStorage) {}

  /** Adds a piece, or as much of it as the bound leaves room for (the text is then marked cut). */
  append(text: string): void {
    if (this.cut) return;
    let piece = text;
    let bytes = jsonTextBytes(piece);
    const room = KEPT_TEXT_BYTES - this.bytes;
    if (bytes > room) {
      this.cut = true;
      // A character takes a byte at least: start there, and take a tenth less until it fits.
      let end = Math.min(piece.length, room);
      while (end > 0 && jsonTextBytes(piece.slice(0, end)) > room) end = Math.floor(end * 0.9);
      if (end > 0 && /[\uD800-\uDBFF]/.test(piece[end - 1]!)) end--;
      piece = piece.slice(0, end);
      bytes = jsonTextBytes(piece);
      if (piece === "") return;
    }
    this.bytes += bytes;
    this.pieces.push(piece);
  }

  /** Whether some text came since the last save. */
  unsaved(): boolean {
    return this.savedPieces < this.pieces.length;
  }

  /** Saves what came since the last save, as one more piece in storage. */
  save(): void {
    if (!this.unsaved()) return;
    this.storage.saveText(this.saves++, this.pieces.slice(this.savedPieces).join(""));
    this.savedPieces = this.pieces.length;
  }

  /**
   * The text so far with `tokens`, or undefined when there is none: what this object received,
   * or, in an object that never ran the call (it restarted), what was saved.
   */
  kept(tokens: number): KeptText | undefined {
    const text = this.pieces.length > 0 ? this.pieces.join("") : this.storage.readText();
    if (text === "" && tokens === 0) return undefined;
    return this.cut ? { text, tokens, cut: true } : { text, tokens };
  }

  /** The saved pieces go: the call's end keeps what it needs in its record. */
  drop(): void {
    this.storage.dropText();
  }
}
