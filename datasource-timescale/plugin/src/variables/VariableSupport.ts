import { CustomVariableSupport, DataQueryRequest, DataQueryResponse, FieldType, createDataFrame } from '@grafana/data';
import { Observable, from, map } from 'rxjs';

import type { TimescaleDataSource } from '../datasource';
import { VariableQueryEditor } from './VariableQueryEditor';
import { VariableQuery, normaliseVariableQuery } from './variableQuery';

/**
 * Grafana's current variable API: the editor is ours, and each value comes back as a row of a
 * frame with a `text` field (Grafana's toMetricFindValues reads `text`/`value` fields).
 */
export class TimescaleVariableSupport extends CustomVariableSupport<TimescaleDataSource, VariableQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: TimescaleDataSource) {
    super();
  }

  query(request: DataQueryRequest<VariableQuery>): Observable<DataQueryResponse> {
    const [target] = request.targets;
    const query = normaliseVariableQuery(target);
    return from(this.datasource.variableValues(query, request.scopedVars)).pipe(
      map((values) => ({
        data: [createDataFrame({ refId: query.refId, fields: [{ name: 'text', type: FieldType.string, values }] })],
      })),
    );
  }
}
