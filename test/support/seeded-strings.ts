/**
 * Strings drawn from `alphabet` by a seeded generator: the same ones every run, so a failure names
 * one that can be tried again. For comparing a JavaScript key with its PostgreSQL twin.
 */
export function* seededStrings(alphabet: readonly string[], options: { count: number; maxLength: number; seed: number }): Generator<string> {
  let seed = options.seed;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < options.count; i++) yield Array.from({ length: 1 + Math.floor(next() * options.maxLength) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
}
