// Tables stack on a phone (static/css/site.css): a cell that the template did not label takes the text
// of its column header as data-label, so every stacked cell still says which column it belongs to.
document.querySelectorAll("table.table").forEach(function (table) {
  var headerRow = table.querySelector("thead tr");
  if (!headerRow) return;
  var headers = [];
  Array.prototype.forEach.call(headerRow.cells, function (cell) {
    for (var span = 0; span < (cell.colSpan || 1); span++) headers.push(cell.textContent.trim());
  });
  table.querySelectorAll("tbody tr, tfoot tr").forEach(function (row) {
    var column = 0;
    Array.prototype.forEach.call(row.cells, function (cell) {
      if (cell.tagName === "TD" && !cell.hasAttribute("data-label") && headers[column]) {
        cell.setAttribute("data-label", headers[column]);
      }
      column += cell.colSpan || 1;
    });
  });
});
