// Draws the Vega-Lite specs the server built (Altair) with vega-embed. Expressions run through
// vega-interpreter, so the page needs no 'unsafe-eval' in its Content Security Policy. Each chart has a
// table with the same figures and a text summary beside it; without script the table is what one sees.
(function () {
  "use strict";
  function draw() {
    if (typeof vegaEmbed === "undefined" || typeof vega === "undefined") return;
    document.querySelectorAll("[data-chart]").forEach(function (box) {
      var source = document.getElementById(box.getAttribute("data-chart"));
      if (!source) return;
      var spec = JSON.parse(source.textContent);
      vegaEmbed(box, spec, {
        actions: false,
        renderer: "svg",
        ast: true,
        expr: vega.expressionInterpreter,
        defaultStyle: false,
        tooltip: false,
      }).then(function () {
        var drawn = box.querySelector("svg");
        if (drawn) drawn.setAttribute("aria-hidden", "true");
        box.setAttribute("data-drawn", "true");
      }).catch(function () {
        box.setAttribute("data-drawn", "failed");
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
