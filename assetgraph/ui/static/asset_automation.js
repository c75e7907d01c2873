// The asset page's automation panel, in its own <section data-tab="automation">: what
// drives the asset (automation policy or condition, freshness policy with lag and
// deadline, schedules and sensors that target it) and what the daemon decided on its
// latest ticks, with the reasons and the evaluated condition tree.
"use strict";

const agAssetAutomation = (() => {
  const { el } = ag;

  function section(main) {
    let found = main.querySelector('section[data-tab="automation"]');
    if (!found) {
      found = el("section", { id: "automation", class: "panel", "data-tab": "automation", "data-tab-label": "Automation" });
      main.append(found);
      const nav = main.querySelector("nav.sections");
      if (nav && !nav.querySelector('a[href="#automation"]')) nav.append(el("a", { href: "#automation", text: "Automation" }));
    }
    return found;
  }

  function freshnessFacts(f) {
    const facts = [el("dt", { text: "Freshness" }), el("dd", { id: "automation-freshness", class: f.violated ? "error" : "" }, f.text)];
    if (f.lag_minutes !== null && f.lag_minutes !== undefined) facts.push(el("dt", { text: "Lag" }), el("dd", { text: `${Number(f.lag_minutes).toFixed(1)} min` + (f.maximum_lag_minutes ? ` (at most ${f.maximum_lag_minutes} min)` : "") }));
    if (f.partition_deadline_minutes) facts.push(el("dt", { text: "Partition deadline" }), el("dd", { text: `${f.partition_deadline_minutes} min after each window ends` + (f.overdue_count ? `; ${f.overdue_count} overdue` : "") }));
    if (f.deadline_cron) facts.push(el("dt", { text: "Deadline" }), el("dd", { class: "mono", text: f.deadline_cron }));
    if (f.next_change) facts.push(el("dt", { text: "Next change" }), el("dd", { text: ag.fmtTime(f.next_change) }));
    return facts;
  }

  function evaluationRow(e) {
    return el("tr", { "data-tick": e.tick_id },
      el("td", { class: "nowrap" }, el("a", { href: `/automation/ticks/${e.tick_id}`, text: ag.fmtTime(e.timestamp) })),
      el("td", {}, e.evaluated ? agConditions.decisionBadge(e.decision) : el("span", { class: "muted small", text: "not evaluated" })),
      el("td", { class: "small" }, e.requested && e.requested.length ? el("div", { class: "mono", text: e.requested.join(", ") }) : "",
        e.reasons.map((r) => el("div", { text: r })), e.skipped.map((s) => el("div", { class: "muted", text: s }))),
      el("td", {}, e.run_ids.map((id) => el("a", { href: ag.runHref(id), class: "mono chip", text: id.slice(0, 8) }))));
  }

  // render(main, key): fill (or refresh) the panel; resolves once drawn.
  async function render(main, key) {
    const panel = section(main);
    const a = await ag.api(ag.assetApi("automation/assets", key));
    ag.clear(panel).append(el("h2", { text: "Automation" }));
    const facts = el("dl", { class: "facts" });
    if (a.policy) facts.append(el("dt", { text: "Policy" }), el("dd", { id: "automation-panel-policy", class: "mono", text: a.policy }));
    if (a.condition) {
      const top = a.condition.label ? `${a.condition.label} (${a.condition.name})` : a.condition.name;
      facts.append(el("dt", { text: "Condition" }), el("dd", { id: "automation-panel-condition" },
        el("details", { open: !(a.latest && a.latest.condition) || undefined }, el("summary", { class: "mono", text: top }), agConditions.outline(a.condition))));
    }
    if (!a.policy && !a.condition) facts.append(el("dt", { text: "Policy" }), el("dd", { class: "muted", text: "none: the daemon requests it only for a freshness policy or downstream need" }));
    if (a.freshness) facts.append(...freshnessFacts(a.freshness));
    facts.append(el("dt", { text: "Schedules, sensors" }), el("dd", {}, a.sensors.length ? a.sensors.map((name) => {
      const [kind, ...rest] = name.split(":");
      return el("a", { href: `/automation/${kind}/${encodeURIComponent(rest.join(":"))}`, class: "mono chip", text: name });
    }) : "none"));
    const latest = a.latest;
    facts.append(el("dt", { text: "Latest decision" }), el("dd", { id: "automation-latest" }, latest
      ? [agConditions.decisionBadge(latest.decision), " ", el("a", { href: `/automation/ticks/${latest.tick_id}`, class: "small", text: ag.fmtTime(latest.timestamp) }),
        el("ul", { class: "why" }, latest.reasons.map((r) => el("li", { text: r })), latest.skipped.map((s) => el("li", { class: "muted", text: s })))]
      : el("span", { class: "muted", text: "not evaluated by the daemon yet" })));
    panel.append(facts);
    if (latest && latest.condition) panel.append(el("details", { open: true, id: "automation-tree" }, el("summary", { text: "Evaluated condition (latest tick)" }), agConditions.draw(latest.condition)));
    if (a.evaluations.length) {
      panel.append(el("details", { id: "automation-evaluations" }, el("summary", { text: `Recent evaluations (${a.evaluations.length})` }),
        ag.table(["Tick", "Decision", "Why", "Runs"], a.evaluations.map(evaluationRow))));
    }
  }

  return { render };
})();
