// The Rate Limiting binding counts in windows of whole wall-clock minutes: tests of a limit run
// inside one window.
/**
 * The binding's windows are whole minutes of the wall clock: a run that crosses one starts
 * counting afresh. Runs `attempt` (with fresh keys and addresses each time) until one run stays
 * inside one minute, and returns what it found.
 */
export async function inOneWindow<T>(attempt: (round: number) => Promise<T>): Promise<T> {
  for (let round = 0; ; round++) {
    const minute = Math.floor(Date.now() / 60_000);
    const found = await attempt(round);
    if (Math.floor(Date.now() / 60_000) === minute || round === 2) return found;
  }
}
