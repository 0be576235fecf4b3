// What the stand-in says aloud when a request's modalities include "audio": the answer's words
// as OpenRouter streams a spoken answer (delta.audio: a piece of base64 audio and a piece of
// transcript per frame), the audio a short tone per word, in WAV or raw 16-bit PCM at 24 kHz.

/** The formats the stand-in can speak; OpenRouter's guide names mp3, flac and opus too. */
const SPOKEN_FORMATS = new Set(["wav", "pcm16"]);
const SAMPLE_RATE = 24_000;
/** Samples per word: 60 ms, 2,880 bytes, a whole number of base64 groups. */
const SAMPLES_PER_WORD = 1_440;

/** Why the stand-in cannot speak in `format`, or undefined when it can. */
export function unspokenFormat(format: string | undefined): string | undefined {
  return format === undefined || SPOKEN_FORMATS.has(format)
    ? undefined
    : `The stand-in speaks wav and pcm16 only, not ${format}.`;
}

/** The frames' audio: one {data, transcript} per word, the data's pieces joining into one file. */
export function spokenPieces(words: readonly string[], format: string): { data: string; transcript: string }[] {
  const samples = Buffer.alloc(words.length * SAMPLES_PER_WORD * 2);
  for (let i = 0; i < words.length * SAMPLES_PER_WORD; i++) {
    // A tone a word, a little higher each word, fading in and out so words are heard apart.
    const word = Math.floor(i / SAMPLES_PER_WORD);
    const within = (i % SAMPLES_PER_WORD) / SAMPLES_PER_WORD;
    const level = Math.sin(Math.PI * within) * 6000;
    samples.writeInt16LE(
      Math.round(level * Math.sin((2 * Math.PI * (330 + 40 * (word % 8)) * i) / SAMPLE_RATE)),
      i * 2,
    );
  }
  const bytes = format === "wav" ? Buffer.concat([wavHeader(samples.length), samples]) : samples;
  // Pieces of whole base64 groups, as many as the words (the header rides with the first).
  const size = Math.ceil(bytes.length / words.length / 3) * 3;
  return words.map((transcript, i) => ({
    transcript,
    data: bytes.subarray(i * size, (i + 1) * size).toString("base64"),
  }));
}

function wavHeader(dataBytes: number): Buffer {
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "latin1");
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write("WAVEfmt ", 8, "latin1");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(SAMPLE_RATE, 24);
  header.writeUInt32LE(SAMPLE_RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36, "latin1");
  header.writeUInt32LE(dataBytes, 40);
  return header;
}
