/**
 * A native DuckDB result (@duckdb/node-api) in the shape EventStore reads from duckdb-wasm:
 * Arrow type names on the columns and rows whose `toJSON()` holds the same plain values
 * the WASM build's Arrow tables give. Timestamps and dates are epoch ms numbers (µs and ns
 * timestamps keep their fraction), BIGINT and UBIGINT stay bigint, and HUGEINT and DECIMAL
 * become doubles, as openDuckDB's `castDecimalToDouble` makes them there.
 *
 * Nested values (lists, structs, maps) come back as plain arrays and objects: WASM gives
 * Arrow's Vector, StructRow and MapRow, which serialise to the same JSON but are other
 * objects. Intervals come back as {months, days, micros}; duckdb-wasm's Arrow reads them
 * wrongly (`INTERVAL '1 month 2 days'` arrives as [0, 1]), so there is nothing to match.
 */
import {
  DuckDBTypeId,
  type DuckDBArrayValue,
  type DuckDBBlobValue,
  type DuckDBDateValue,
  type DuckDBDecimalValue,
  type DuckDBIntervalValue,
  type DuckDBListValue,
  type DuckDBMapValue,
  type DuckDBResultReader,
  type DuckDBStructValue,
  type DuckDBTimestampMillisecondsValue,
  type DuckDBTimestampNanosecondsValue,
  type DuckDBTimestampSecondsValue,
  type DuckDBTimestampTZValue,
  type DuckDBTimestampValue,
  type DuckDBTimeValue,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { ArrowResult } from './EventStore';

const DAY_MS = 86_400_000;

/** Reads every row of a finished native result into the ArrowResult shape. */
export function nativeResult(reader: DuckDBResultReader): ArrowResult {
  const names = reader.columnNames();
  const types = reader.columnTypes();
  const columns = reader.getColumns().map((values, i) => {
    const convert = converter(types[i]!);
    return values.map((v) => (v === null ? null : convert(v)));
  });
  const fields = names.map((name, i) => ({ name, type: { toString: () => arrowTypeName(types[i]!) } }));
  const rowCount = reader.currentRowCount;
  return {
    schema: { fields },
    toArray() {
      const rows: { toJSON(): Record<string, unknown> }[] = [];
      for (let r = 0; r < rowCount; r++) {
        const row: Record<string, unknown> = {};
        names.forEach((n, c) => (row[n] = columns[c]![r]));
        rows.push({ toJSON: () => row });
      }
      return rows;
    },
  };
}

type Convert = (v: DuckDBValue) => unknown;

/** How one column's non-null values become plain values. */
function converter(type: DuckDBType): Convert {
  const T = DuckDBTypeId;
  switch (type.typeId) {
    case T.TIMESTAMP_MS:
      return (v) => Number((v as DuckDBTimestampMillisecondsValue).millis);
    case T.TIMESTAMP:
    case T.TIMESTAMP_TZ:
      return (v) => Number((v as DuckDBTimestampValue | DuckDBTimestampTZValue).micros) / 1000;
    case T.TIMESTAMP_S:
      return (v) => Number((v as DuckDBTimestampSecondsValue).seconds) * 1000;
    case T.TIMESTAMP_NS:
      return (v) => Number((v as DuckDBTimestampNanosecondsValue).nanos) / 1e6;
    case T.DATE:
      return (v) => (v as DuckDBDateValue).days * DAY_MS;
    case T.TIME:
      return (v) => (v as DuckDBTimeValue).micros;
    case T.HUGEINT:
    case T.UHUGEINT:
      return (v) => Number(v as bigint);
    case T.DECIMAL:
      // As duckdb-wasm computes it (x * (1 / 10^scale), not x / 10^scale): -510 at scale 2 is -5.1000000000000005.
      return (v) => Number((v as DuckDBDecimalValue).value) * (1 / 10 ** (v as DuckDBDecimalValue).scale);
    case T.BLOB:
      return (v) => (v as DuckDBBlobValue).bytes;
    case T.UUID:
      return (v) => String(v);
    case T.INTERVAL:
      return (v) => {
        const i = v as DuckDBIntervalValue;
        return { months: i.months, days: i.days, micros: Number(i.micros) };
      };
    case T.LIST:
    case T.ARRAY: {
      const item = converter(type.valueType);
      return (v) => (v as DuckDBListValue | DuckDBArrayValue).items.map((x) => (x === null ? null : item(x)));
    }
    case T.STRUCT: {
      const entries = type.entryNames.map((n, i) => [n, converter(type.entryTypes[i]!)] as const);
      return (v) => {
        const s = (v as DuckDBStructValue).entries;
        return Object.fromEntries(entries.map(([n, c]) => [n, s[n] === null || s[n] === undefined ? null : c(s[n])]));
      };
    }
    case T.MAP: {
      const value = converter(type.valueType);
      return (v) => Object.fromEntries((v as DuckDBMapValue).entries.map((e) => [String(e.key), e.value === null ? null : value(e.value)]));
    }
    default:
      // booleans, numbers, bigints and strings (VARCHAR, ENUM) are already plain.
      return (v) => v;
  }
}

/** The name Arrow gives the type duckdb-wasm would return for this DuckDB type. */
export function arrowTypeName(type: DuckDBType): string {
  const T = DuckDBTypeId;
  switch (type.typeId) {
    case T.BOOLEAN: return 'Bool';
    case T.TINYINT: return 'Int8';
    case T.SMALLINT: return 'Int16';
    case T.INTEGER: return 'Int32';
    case T.BIGINT: return 'Int64';
    case T.UTINYINT: return 'Uint8';
    case T.USMALLINT: return 'Uint16';
    case T.UINTEGER: return 'Uint32';
    case T.UBIGINT: return 'Uint64';
    case T.FLOAT: return 'Float32';
    case T.DOUBLE:
    case T.HUGEINT:
    case T.UHUGEINT:
    case T.DECIMAL: return 'Float64';
    case T.VARCHAR:
    case T.UUID: return 'Utf8';
    case T.BLOB: return 'Binary';
    case T.DATE: return 'Date32<DAY>';
    case T.TIME: return 'Time64<MICROSECOND>';
    case T.TIMESTAMP: return 'Timestamp<MICROSECOND>';
    case T.TIMESTAMP_MS: return 'Timestamp<MILLISECOND>';
    case T.TIMESTAMP_S: return 'Timestamp<SECOND>';
    case T.TIMESTAMP_NS: return 'Timestamp<NANOSECOND>';
    case T.TIMESTAMP_TZ: return 'Timestamp<MICROSECOND, UTC>';
    case T.INTERVAL: return 'Interval<MONTH_DAY_NANO>';
    case T.ENUM: return `Dictionary<${type.values.length <= 0xff ? 'Uint8' : type.values.length <= 0xffff ? 'Uint16' : 'Uint32'}, Utf8>`;
    case T.LIST: return `List<${arrowTypeName(type.valueType)}>`;
    case T.ARRAY: return `FixedSizeList[${type.length}]<${arrowTypeName(type.valueType)}>`;
    case T.STRUCT: return `Struct<{${type.entryNames.map((n, i) => `${n}:${arrowTypeName(type.entryTypes[i]!)}`).join(', ')}}>`;
    case T.MAP: return `Map<{key:${arrowTypeName(type.keyType)}, value:${arrowTypeName(type.valueType)}}>`;
    default: return type.toString();
  }
}
