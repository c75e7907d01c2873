// Swagger UI over /openapi.json, from the vendored swagger-ui-dist bundle (no CDN).
"use strict";

(() => {
  const box = ag.el("div", { id: "swagger" });
  ag.main.classList.add("wide");
  ag.main.append(ag.el("p", { class: "muted small" }, "Also as ", ag.el("a", { href: "/api/redoc", text: "Redoc" }), " and as ", ag.el("a", { href: "/openapi.json", text: "openapi.json" }), "."), box);
  window.SwaggerUIBundle({
    url: ag.page.openapi,
    domNode: box,
    deepLinking: false,
    onComplete: () => { document.body.dataset.ready = "true"; },
  });
})();
