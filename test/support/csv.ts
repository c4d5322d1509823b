/**
 * A strict RFC 4180 reader for the exports' tests (no CSV parser is installed): fields separated
 * by commas, records by CRLF, a field with a comma, quote or line break in double quotes and its
 * quotes doubled. Anything else (a bare quote, an unclosed field, a lone LF between records)
 * throws, so a file that only looks right fails the test.
 */
const BOM = '\uFEFF';

export function parseCsv(text: string): string[][] {
  if (!text.startsWith(BOM)) throw new Error('The CSV does not start with a UTF-8 byte order mark');
  const body = text.slice(BOM.length);
  const records: string[][] = [];
  let record: string[] = [];
  let index = 0;
  for (;;) {
    let field = '';
    if (body[index] === '"') {
      index += 1;
      for (;;) {
        const quote = body.indexOf('"', index);
        if (quote < 0) throw new Error(`An unclosed quoted field in record ${records.length + 1}`);
        field += body.slice(index, quote);
        if (body[quote + 1] === '"') {
          field += '"';
          index = quote + 2;
        } else {
          index = quote + 1;
          break;
        }
      }
    } else {
      const end = body.slice(index).search(/[,\r\n"]/);
      const stop = end < 0 ? body.length : index + end;
      if (body[stop] === '"') throw new Error(`A quote inside an unquoted field in record ${records.length + 1}`);
      field = body.slice(index, stop);
      index = stop;
    }
    record.push(field);
    if (body[index] === ',') {
      index += 1;
      continue;
    }
    if (body.startsWith('\r\n', index)) {
      records.push(record);
      record = [];
      index += 2;
      if (index === body.length) return records;
      continue;
    }
    if (index === body.length) {
      records.push(record);
      return records;
    }
    throw new Error(`Records must end with CRLF (record ${records.length + 1}, offset ${index})`);
  }
}

/** The records as objects keyed by the header row's names. */
export function csvObjects(text: string): { header: string[]; rows: Array<Record<string, string>> } {
  const [header, ...records] = parseCsv(text);
  if (!header) throw new Error('The CSV has no header row');
  return {
    header,
    rows: records.map((record) => {
      if (record.length !== header.length) throw new Error(`A record has ${record.length} fields, the header ${header.length}`);
      return Object.fromEntries(header.map((name, column) => [name, record[column]!]));
    }),
  };
}
