// One automation tick: its runs, what its schedules and sensors did, and per asset the
// decision (requested, waiting, skipped), the reasons and the evaluated condition tree.
"use strict";

(async () => {
  const { el, main } = ag;
  const tickId = ag.page.tickId;
  let tick;
  try {
    tick = await ag.api(`/api/automation/ticks/${encodeURIComponent(tickId)}`);
  } catch (error) {
    ag.showError(main, error);
    document.body.dataset.ready = "true";
    return;
  }
  const duration = tick.ended_at ? tick.ended_at - tick.started_at : null;
  main.append(
    el("p", { class: "small" }, el("a", { href: "/automation", text: "Automation" }), " › ticks"),
    el("h1", {}, `Tick ${tick.tick_id} `, agAutomation.tickBadge(tick.status)),
    el("dl", { class: "facts" },
      el("dt", { text: "Evaluated at" }), el("dd", { text: ag.fmtTime(tick.timestamp) }),
      el("dt", { text: "Took" }), el("dd", { text: `${ag.fmtDuration(duration)}${tick.evaluation_ms !== null ? ` (evaluation ${tick.evaluation_ms} ms)` : ""}` }),
      el("dt", { text: "Runs" }), el("dd", {}, tick.runs.length ? tick.runs.map((r) => r.run_id
        ? el("a", { href: ag.runHref(r.run_id), class: "mono chip", title: r.origin, text: `${r.run_id.slice(0, 8)} (${r.origin})` })
        : el("span", { class: "chip error", text: `${r.request_id} (${r.origin}): ${r.error || "not launched"}` })) : "none")));
  if (tick.errors.length) main.append(el("section", { class: "panel", id: "tick-errors" }, el("h2", { text: "Errors" }), tick.errors.map((e) => el("pre", { class: "error", text: e }))));
  const notes = Object.entries(tick.instigators);
  if (notes.length) {
    main.append(el("section", { class: "panel", id: "tick-instigators" }, el("h2", { text: "Schedules and sensors" }),
      ag.table(["Name", "Result"], notes.map(([name, note]) => {
        const [kind, ...rest] = name.split(":");
        return el("tr", {}, el("td", {}, el("a", { href: `/automation/${kind}/${encodeURIComponent(rest.join(":"))}`, class: "mono", text: name })), el("td", { text: note }));
      }))));
  }

  const panel = el("section", { class: "panel", id: "decisions" });
  main.append(panel);
  const counts = { requested: 0, waiting: 0, skipped: 0 };
  for (const d of tick.decisions) counts[d.decision] += 1;
  let shown = counts.requested || counts.waiting ? "requested+waiting" : "all";
  const search = el("input", { type: "search", id: "decision-search", placeholder: "Filter assets", "aria-label": "Filter assets" });
  const list = el("div", { id: "decision-list" });
  const filterButtons = [["all", `All (${tick.decisions.length})`], ["requested+waiting", `Requested or waiting (${counts.requested + counts.waiting})`],
    ["requested", `Requested (${counts.requested})`], ["waiting", `Waiting (${counts.waiting})`], ["skipped", `Skipped (${counts.skipped})`]]
    .map(([value, text]) => el("button", { type: "button", "data-filter": value, text, onclick: () => { shown = value; draw(); } }));
  panel.append(el("h2", { text: "Assets" }), el("div", { class: "controls" }, filterButtons, search), list);
  search.addEventListener("input", () => draw());

  function decision(d) {
    const box = el("details", { class: "decision-box", "data-asset": d.asset, "data-decision": d.decision, open: tick.decisions.length <= 5 || undefined },
      el("summary", {}, el("a", { href: ag.assetHref(d.asset), class: "key", text: d.asset }), " ", agConditions.decisionBadge(d.decision),
        d.requested && d.requested.length ? el("span", { class: "mono small", text: ` ${d.requested.slice(0, 4).join(", ")}${d.requested.length > 4 ? ", …" : ""} (${d.requested_count})` } ) : ""),
      d.reasons.length ? el("ul", { class: "why reasons" }, d.reasons.map((r) => el("li", { text: r }))) : "",
      d.skipped.length ? el("ul", { class: "why skipped" }, d.skipped.map((s) => el("li", { class: "muted", text: s }))) : "",
      d.run_ids.length ? el("p", { class: "small" }, "Runs: ", d.run_ids.map((id) => el("a", { href: ag.runHref(id), class: "mono chip", text: id.slice(0, 8) }))) : "",
      d.condition ? agConditions.draw(d.condition) : "");
    return box;
  }

  function draw() {
    for (const b of filterButtons) b.classList.toggle("current", b.dataset.filter === shown);
    const text = search.value.trim().toLowerCase();
    const picked = tick.decisions.filter((d) => (shown === "all" || shown.split("+").includes(d.decision)) && (!text || d.asset.toLowerCase().includes(text)));
    ag.clear(list).append(el("div", {}, picked.length ? picked.slice(0, 500).map(decision) : el("p", { class: "muted", text: "No asset matches." }),
      picked.length > 500 ? el("p", { class: "muted", text: `${picked.length - 500} more: filter to narrow.` }) : ""));
  }
  draw();
  document.body.dataset.ready = "true";
})();
