// Automation ticks: each evaluation, the runs it launched and the per-asset reasons.
"use strict";

(async () => {
  const { el, main } = ag;
  main.append(el("h1", { text: "Automation" }));
  let ticks;
  try {
    ticks = await ag.api("/api/automation/ticks");
  } catch (error) {
    ag.showError(main, error);
    return;
  }
  if (!ticks.length) {
    main.append(
      el("p", { id: "no-ticks", class: "empty", text: "No ticks recorded." }),
      el("p", { class: "muted", text: "Ticks appear here once the automation daemon evaluates freshness and automation policies." })
    );
  } else {
    main.append(ag.table(["Time", "Status", "Runs", "Reasons"], ticks.map((tick) => el("tr", {},
      el("td", { text: ag.fmtTime(tick.timestamp) }),
      el("td", {}, ag.badge(tick.status, "run")),
      el("td", {}, tick.run_ids.map((id) => el("a", { href: ag.runHref(id), class: "mono chip", text: id.slice(0, 8) }))),
      el("td", {}, el("ul", {}, Object.entries(tick.reasons).map(([key, why]) =>
        el("li", {}, el("a", { href: ag.assetHref(key), class: "key", text: key }), ": ", why))))
    ))));
  }
  document.body.dataset.ready = "true";
})();
