// Prometheus 2.42's query statistics (`stats` parameter, util/stats/query_stats.go): timings in
// seconds and sample counts, in the answer's `data.stats` when the parameter is not empty.

/** What a query measures while it runs (milliseconds and samples). */
export class QueryStatsCollector {
  queueMs = 0;
  preparationMs = 0;
  innerEvalMs = 0;
  /** Samples read from storage. */
  loadedSamples = 0;
  /** The most samples the evaluation held at once (what --query.max-samples limits). */
  peakSamples = 0;
}

export interface QueryStats {
  timings: {
    evalTotalTime: number;
    resultSortTime: number;
    queryPreparationTime: number;
    innerEvalTime: number;
    execQueueTime: number;
    execTotalTime: number;
  };
  samples: { totalQueryableSamples: number; peakSamples: number };
}

export function queryStats(c: QueryStatsCollector): QueryStats {
  const evalTotal = c.preparationMs + c.innerEvalMs;
  return {
    timings: {
      evalTotalTime: evalTotal / 1000,
      resultSortTime: 0, // sorted while formatting, within innerEvalTime
      queryPreparationTime: c.preparationMs / 1000,
      innerEvalTime: c.innerEvalMs / 1000,
      execQueueTime: c.queueMs / 1000,
      execTotalTime: (c.queueMs + evalTotal) / 1000,
    },
    samples: { totalQueryableSamples: c.loadedSamples, peakSamples: c.peakSamples },
  };
}
