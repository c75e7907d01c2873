// Redoc over /openapi.json, from the vendored redoc bundle (no CDN). Search is off: it
// runs in a Web Worker made from a blob: URL, which the page's CSP does not allow.
"use strict";

(() => {
  const box = ag.el("div", { id: "redoc" });
  ag.main.classList.add("wide");
  ag.main.append(ag.el("p", { class: "muted small" }, "Also as ", ag.el("a", { href: "/api/docs", text: "Swagger UI" }), "."), box);
  window.Redoc.init(ag.page.openapi, { disableSearch: true, hideDownloadButton: false }, box, (errors) => {
    if (errors) ag.showError(ag.main, errors);
    document.body.dataset.ready = "true";
  });
})();
