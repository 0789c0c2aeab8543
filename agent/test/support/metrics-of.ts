// Reads one value from an agent's own /metrics.

import { parseText } from '../../src/exposition/parse';
import { scrape } from '@nester/testing/harvester';

export async function metricValue(
  url: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const family = parseText(await scrape(url)).get(name);
  const sample = family?.samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return sample?.value;
}
