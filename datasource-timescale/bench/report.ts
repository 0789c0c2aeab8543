// How the benches print: markdown lines on stdout, numbers with thousands separators.

export function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

export const fmt = (n: number) => n.toLocaleString('en-US');

export const rate = (samples: number, seconds: number) => Math.round(samples / seconds);

export const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

/** The p-th percentile (nearest rank) of `xs`. */
export function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
