// The package's `exports` map names no types for Node16 resolution; its own index.d.ts says this.
declare module '@prometheus-io/lezer-promql' {
  import type { LRParser } from '@lezer/lr';
  export const parser: LRParser;
}
