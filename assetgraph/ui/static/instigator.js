// One schedule or sensor: its state (with the running/stopped toggle), when it runs, and
// its tick history: each evaluation's result (runs requested, skip reasons, error, the
// cursor a sensor left).
"use strict";

(async () => {
  const { el, main } = ag;
  const kind = ag.page.kind;
  const name = ag.page.name;
  const head = el("div", { id: "instigator-head" });
  const history = el("section", { id: "tick-history", class: "panel" });
  main.append(head, history);

  function renderHead(item) {
    ag.clear(head).append(
      el("p", { class: "small" }, el("a", { href: "/automation", text: "Automation" }), ` › ${kind}s`),
      el("h1", {}, el("span", { class: "mono", text: item.name }), " ", el("span", { class: "muted small", text: item.kind })),
      item.description ? ag.richText(item.description) : "",
      el("dl", { class: "facts" },
        el("dt", { text: "State" }), el("dd", { id: "instigator-state" }, agAutomation.toggle(item, renderHead),
          el("span", { class: "muted small", text: item.set_by_user ? " (set in the UI or CLI)" : ` (default: ${item.default_status})` })),
        item.kind === "schedule"
          ? [el("dt", { text: "Cron" }), el("dd", { class: "mono", text: `${item.cron_schedule} (${item.execution_timezone})` })]
          : [el("dt", { text: "Minimum interval" }), el("dd", { text: `${item.minimum_interval_seconds} s` })],
        el("dt", { text: "Target" }), el("dd", { class: "mono", text: item.job ? `job ${item.job}` : item.target || "—" }),
        el("dt", { text: "Last tick" }), el("dd", {}, item.last_tick
          ? [el("a", { href: `/automation/ticks/${item.last_tick.tick_id}`, text: ag.fmtTime(item.last_tick.timestamp) }), " ", agAutomation.tickBadge(item.last_tick.status)]
          : "never evaluated"),
        el("dt", { text: "Next tick" }), el("dd", { id: "next-tick", text: item.status === "running" ? ag.fmtTime(item.next_tick) : "— (stopped)" })));
  }

  function result(tick) {
    const parts = [];
    if (tick.error) parts.push(el("pre", { class: "error", text: tick.error }));
    if (tick.run_requests.length) {
      parts.push(el("ul", { class: "small" }, tick.run_requests.map((r) => el("li", {},
        r.run_key ? el("span", { class: "mono", text: `run key ${r.run_key}: ` }) : "",
        (r.assets || []).join(", "), r.partitions ? ` (${r.partitions} partition${r.partitions === 1 ? "" : "s"})` : ""))));
    }
    for (const reason of tick.skip_reasons) parts.push(el("div", { class: "skip-reason", text: `skipped: ${reason}` }));
    for (const note of tick.notes) parts.push(el("div", { class: "small muted", text: note }));
    if (!parts.length) parts.push(el("span", { class: "muted", text: tick.note }));
    return parts;
  }

  let item;
  try {
    item = await ag.api(`/api/automation/instigators/${kind}/${encodeURIComponent(name)}?limit=25`);
  } catch (error) {
    ag.showError(main, error);
    document.body.dataset.ready = "true";
    return;
  }
  renderHead(item);
  history.append(el("h2", { text: "Tick history" }));
  if (!item.ticks.length) {
    history.append(el("p", { class: "muted", id: "no-ticks", text: item.status === "running" ? "Not evaluated yet: the daemon evaluates it at its next tick." : "Never evaluated: start it, then run 'assetgraph automate'." }));
  } else {
    const headers = ["Tick", "Result", "Runs", "Details"];
    if (kind === "sensor") headers.push("Cursor");
    history.append(ag.table(headers, item.ticks.map((tick) => el("tr", { "data-tick": tick.tick_id, "data-status": tick.status },
      el("td", { class: "nowrap" }, el("a", { href: `/automation/ticks/${tick.tick_id}`, text: ag.fmtTime(tick.timestamp) }),
        tick.scheduled_for ? el("div", { class: "small muted", text: `for ${ag.fmtTime(tick.scheduled_for)}` }) : ""),
      el("td", {}, agAutomation.tickBadge(tick.status)),
      el("td", {}, tick.run_ids.map((id) => el("a", { href: ag.runHref(id), class: "mono chip", text: id.slice(0, 8) }))),
      el("td", { class: "tick-result" }, result(tick)),
      kind === "sensor" ? el("td", { class: "mono small cursor", text: tick.cursor === null || tick.cursor === undefined ? "—" : tick.cursor }) : null))));
  }
  document.body.dataset.ready = "true";
})();
