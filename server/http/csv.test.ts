import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { csvCell, csvFile } from './csv.js';

describe('CSV for spreadsheets', () => {
  it('defuses every cell a spreadsheet would run as a formula (OWASP CSV injection)', () => {
    assert.equal(csvCell('=HYPERLINK("http://evil.example","x")'), `"'=HYPERLINK(""http://evil.example"",""x"")"`);
    assert.equal(csvCell('+1+2'), "'+1+2");
    assert.equal(csvCell('-2+3'), "'-2+3");
    assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvCell('\t=1'), "'\t=1");
    assert.equal(csvCell('\r=1'), `"'\r=1"`);
    assert.equal(csvCell('Dr. = Lee'), 'Dr. = Lee', 'only a leading character counts');
  });

  it('quotes commas, quotes and line breaks (RFC 4180); empty for nothing', () => {
    assert.equal(csvCell('a, b'), '"a, b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(42), '42');
  });

  it('a file: BOM first, CRLF after every row', () => {
    assert.equal(csvFile(['A', 'B'], [['é', null]]), '\uFEFFA,B\r\né,\r\n');
  });
});
