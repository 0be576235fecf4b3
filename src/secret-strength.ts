// Whether a configured secret (TOKEN_SECRET) is plausibly random. The text alone cannot prove
// randomness, so this estimates it and refuses what is plainly not random: repeated blocks, few
// distinct characters, runs such as "abcdef" or "13579". A passphrase of real words can pass, which
// is why every refusal names the one way to make a secret.

/** What a secret should hold: as much as a 128-bit key. */
const WANTED_BITS = 128;
/**
 * Where refusing starts, below 128 because the estimate spreads: over 2,000 secrets each, 32
 * random hex digits (exactly 128 bits) estimate at a median of 125 and a 1st percentile of 112,
 * while `openssl rand -base64 32` never estimates below 200 and the weak secrets of the tests
 * (repeated words, runs, "secret01secret02…") stay under 105.
 */
const REFUSED_BELOW = 112;
const MIN_LENGTH = 32;
const MAKE_ONE = "make one with: openssl rand -base64 32";

/** Why the secret is refused, in words that never repeat it, or undefined when it will do. */
export function secretStrengthProblem(secret: string): string | undefined {
  if (!/^[\x21-\x7e]*$/.test(secret)) return `must be printable ASCII without spaces: ${MAKE_ONE}`;
  if (secret.length < MIN_LENGTH) return `must be at least ${MIN_LENGTH} random characters: ${MAKE_ONE}`;
  const bits = Math.floor(estimatedBits(secret));
  if (bits < REFUSED_BELOW)
    return `is not random enough (an estimated ${bits} bits, where about ${WANTED_BITS} are wanted): ${MAKE_ONE}`;
  return undefined;
}

/**
 * Bits of randomness the text plausibly holds: the length of its repeating block, times the
 * least of three per-character figures: what its kinds of character allow (hex digits 4 bits,
 * letters, digits and symbols up to 6.55), and the entropy of its characters and of the steps
 * between neighbouring characters, each as measured in the text (Miller–Madow corrected, since a
 * short sample understates it).
 */
export function estimatedBits(secret: string): number {
  const block = secret.slice(0, repeatingBlockLength(secret));
  const codes = Array.from(block, (c) => c.charCodeAt(0));
  const steps = codes.slice(1).map((code, i) => code - codes[i]!);
  const perCharacter = Math.min(
    Math.log2(alphabetSize(secret)),
    measuredEntropy(codes),
    steps.length === 0 ? 0 : measuredEntropy(steps),
  );
  return block.length * perCharacter;
}

/** The shortest p such that the text is its first p characters over and over (the last time cut short). */
function repeatingBlockLength(text: string): number {
  // The longest proper prefix that is also a suffix (KMP's failure function) leaves the period.
  const border = new Array<number>(text.length).fill(0);
  for (let i = 1, k = 0; i < text.length; i++) {
    while (k > 0 && text[i] !== text[k]) k = border[k - 1]!;
    if (text[i] === text[k]) k++;
    border[i] = k;
  }
  return text.length - (border[text.length - 1] ?? 0);
}

/** How many characters of the kinds the text uses there are: 16 for hex, else letters, digits and symbols. */
function alphabetSize(text: string): number {
  if (/^[0-9a-f]+$/.test(text) || /^[0-9A-F]+$/.test(text)) return 16;
  let size = 0;
  if (/[a-z]/.test(text)) size += 26;
  if (/[A-Z]/.test(text)) size += 26;
  if (/\d/.test(text)) size += 10;
  if (/[^a-z0-9]/i.test(text)) size += 32;
  return size;
}

/** Shannon entropy of the values in bits per value, with the Miller–Madow correction for a small sample. */
function measuredEntropy(values: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / values.length;
    entropy -= p * Math.log2(p);
  }
  return entropy + (counts.size - 1) / (2 * values.length * Math.LN2);
}
