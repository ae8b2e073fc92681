// The draft's budget: "Add a line" adds a blank line here (without JavaScript the button saves the
// draft and the page comes back with one more line), and the total of the lines follows the typing.
(function () {
  "use strict";
  var budget = document.getElementById("budget");
  if (!budget) return;
  var totalForms = budget.querySelector("input[name='budget-TOTAL_FORMS']");
  var maxForms = budget.querySelector("input[name='budget-MAX_NUM_FORMS']");
  var template = document.getElementById("budget-line-template");
  var newLines = document.getElementById("new-lines-list");
  var output = document.getElementById("budget-running-total-amount");
  var language = document.documentElement.lang || "fr";
  var money = new Intl.NumberFormat(language + "-BE", { style: "currency", currency: "EUR" });

  function number(line, suffix) {
    var input = line.querySelector("input[name$='-" + suffix + "']");
    var value = input ? parseFloat(input.value.replace(",", ".")) : NaN;
    return isFinite(value) ? value : 0;
  }

  function lineAmount(line) {
    var deleted = line.querySelector("input[name$='-DELETE']");
    var category = line.querySelector("select[name$='-category']");
    if ((deleted && deleted.checked) || !category || !category.value) return 0;
    if (category.value === "coordination_hours") {
      return Math.round(number(line, "hours") * number(line, "hourly_cost") * 100) / 100;
    }
    return number(line, "amount");
  }

  function showTotal() {
    if (!output) return;
    var sum = 0;
    budget.querySelectorAll(".budget-line").forEach(function (line) {
      sum += lineAmount(line);
    });
    output.textContent = money.format(sum);
  }

  budget.addEventListener("input", showTotal);
  budget.addEventListener("change", showTotal);

  var addLine = document.getElementById("add-line");
  if (addLine && template && newLines && totalForms) {
    addLine.addEventListener("click", function (event) {
      var count = parseInt(totalForms.value, 10);
      if (maxForms && count >= parseInt(maxForms.value, 10)) return; // the server says why
      event.preventDefault();
      newLines.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(count)));
      totalForms.value = String(count + 1);
      var folded = document.getElementById("new-lines");
      if (folded) folded.open = true;
      var added = newLines.lastElementChild;
      var first = added && added.querySelector("select, input, textarea");
      if (first) first.focus();
    });
  }
})();
