// Dashboard variables in raw SQL, never inserted unescaped. The SQL is split the way PostgreSQL
// reads it, so each value is escaped for where it lands:
//   code          host = $host            ->  host = 'web-1'       (several: 'a','b')
//   'string'      LIKE '%$host%'          ->  '%web-1%'            (quotes doubled)
//   E'string'     E'$host'                ->  quotes and backslashes doubled
//   "identifier"  "$column"               ->  double quotes doubled
//   -- comments   left alone (a value with a newline would end the comment)
//   $$dollar$$    refused: nothing can be escaped there
// Format specifiers such as ${host:raw} are refused: they would bypass the quoting.
import { ScopedVars } from '@grafana/data';
import { TemplateSrv } from '@grafana/runtime';

import { InterpolationError } from './interpolate';
import { joinPieces, variablePieces } from './variablePieces';

export type SqlContext = 'code' | 'string' | 'escapeString' | 'identifier' | 'comment' | 'dollar';

export interface SqlSegment {
  context: SqlContext;
  text: string;
}

const IDENT_CHAR = /[A-Za-z0-9_$]/;

/** Where a quoted thing ends: the closing quote that is not doubled (or escaped, in E'' strings). */
function quotedEnd(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  for (let i = start; i < sql.length; i++) {
    if (backslashEscapes && sql[i] === '\\') {
      i++;
    } else if (sql[i] === quote) {
      if (sql[i + 1] === quote) {
        i++;
      } else {
        return i + 1;
      }
    }
  }
  return sql.length;
}

function blockCommentEnd(sql: string, start: number): number {
  let depth = 1;
  for (let i = start; i < sql.length; i++) {
    if (sql.startsWith('/*', i)) {
      depth++;
      i++;
    } else if (sql.startsWith('*/', i)) {
      depth--;
      i++;
      if (depth === 0) {
        return i + 1;
      }
    }
  }
  return sql.length;
}

/** Splits SQL into code, literals, identifiers, comments and dollar-quoted strings. */
export function sqlSegments(sql: string): SqlSegment[] {
  const segments: SqlSegment[] = [];
  let code = 0;
  const push = (context: SqlContext, start: number, end: number) => {
    if (start > code) {
      segments.push({ context: 'code', text: sql.slice(code, start) });
    }
    segments.push({ context, text: sql.slice(start, end) });
    code = end;
  };
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    const previous = i > 0 ? sql[i - 1] : '';
    if (sql.startsWith('--', i)) {
      const newline = sql.indexOf('\n', i);
      push('comment', i, newline === -1 ? sql.length : newline);
    } else if (sql.startsWith('/*', i)) {
      push('comment', i, blockCommentEnd(sql, i + 2));
    } else if (c === "'") {
      const escaped = /[eE]/.test(previous) && !IDENT_CHAR.test(sql[i - 2] ?? '');
      const unicode = sql.slice(i - 2, i).toUpperCase() === 'U&' && !IDENT_CHAR.test(sql[i - 3] ?? '');
      const start = escaped ? i - 1 : unicode ? i - 2 : i;
      push(escaped || unicode ? 'escapeString' : 'string', start, quotedEnd(sql, i + 1, "'", escaped));
    } else if (c === '"') {
      push('identifier', i, quotedEnd(sql, i + 1, '"', false));
    } else if (c === '$' && !IDENT_CHAR.test(previous)) {
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        push('dollar', i, close === -1 ? sql.length : close + tag[0].length);
      } else {
        i++;
        continue;
      }
    } else {
      i++;
      continue;
    }
    i = code;
  }
  if (code < sql.length) {
    segments.push({ context: 'code', text: sql.slice(code) });
  }
  return segments;
}

const FORMATTED = /\$\{([^}:]+):[^}]*\}|\[\[([^\]:]+):[^\]]*\]\]/g;
/** Grafana's own time range variables: their formatted values are timestamps, never user text. */
const TIME_VARIABLES = ['__from', '__to'];

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function formatIn(context: SqlContext, values: string[]): string {
  switch (context) {
    case 'code':
      return values.length ? values.map(quoteLiteral).join(',') : 'NULL';
    case 'string':
      return values.map((v) => v.replace(/'/g, "''")).join(',');
    case 'escapeString':
      return values.map((v) => v.replace(/\\/g, '\\\\').replace(/'/g, "''")).join(',');
    case 'identifier':
      if (values.length !== 1) {
        throw new InterpolationError('a variable inside a "quoted identifier" needs exactly one value');
      }
      return values[0].replace(/"/g, '""');
    default:
      throw new InterpolationError(`variables cannot be used in a ${context} segment`);
  }
}

/** The SQL with every dashboard variable replaced by a properly quoted value. */
export function interpolateSql(sql: string, templateSrv: TemplateSrv, scopedVars: ScopedVars = {}): string {
  // The adapter expands $__interval and $__interval_ms itself, into bind parameters.
  const { __interval: _interval, __interval_ms: _intervalMs, ...vars } = scopedVars;
  return sqlSegments(sql)
    .map((segment) => {
      if (segment.context === 'comment') {
        return segment.text;
      }
      const { text, values } = variablePieces(templateSrv, segment.text, vars);
      if (segment.context === 'dollar') {
        if (values.length) {
          throw new InterpolationError('dashboard variables cannot be used inside $$dollar-quoted$$ strings');
        }
        return segment.text;
      }
      for (const [reference, braced, bracketed] of segment.text.matchAll(FORMATTED)) {
        // An existing variable with a format of its own would be inserted as that format says.
        const name = braced ?? bracketed;
        if (
          !TIME_VARIABLES.includes(name) &&
          variablePieces(templateSrv, reference, vars).text.join('') !== reference
        ) {
          throw new InterpolationError(
            `${reference}: format specifiers are not allowed in SQL; variables are always inserted as quoted literals`,
          );
        }
      }
      return joinPieces(
        text,
        values.map((v) => formatIn(segment.context, v)),
      );
    })
    .join('');
}
