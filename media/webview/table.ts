// The figures tables the webview scripts draw (the storage plan's moves and costs, the cost
// dashboard's tables under its charts), built with the DOM so no text is ever parsed as markup.

/**
 * A table with a caption, a header row and `rows` of text; `data-table` is `id`, so tests and
 * styles find it. Cells whose column `isNumber` are right-aligned (every column after the first
 * unless told).
 */
export function table(id: string, caption: string, headers: readonly string[], rows: readonly (readonly string[])[], isNumber: (column: number) => boolean = (column) => column > 0): HTMLTableElement {
  const t = document.createElement('table');
  t.dataset['table'] = id;
  t.createCaption().textContent = caption;
  const head = t.createTHead().insertRow();
  for (const h of headers) head.append(Object.assign(document.createElement('th'), { textContent: h }));
  const body = t.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    row.forEach((cell, i) => {
      const td = tr.insertCell();
      td.textContent = cell;
      if (isNumber(i)) td.className = 'number';
    });
  }
  return t;
}
