// The automation area: every schedule and sensor (running/stopped toggle, cron or
// interval, last and next tick) and the daemon's ticks with the assets each requested,
// left waiting or skipped. A tick opens its per-asset decisions and condition trees.
"use strict";

(async () => {
  const { el, main } = ag;
  main.append(el("h1", { text: "Automation" }));
  const instigatorsPanel = el("section", { id: "instigators", class: "panel" });
  const ticksPanel = el("section", { id: "ticks", class: "panel" });
  main.append(instigatorsPanel, ticksPanel);

  function instigatorHref(item) {
    return `/automation/${item.kind}/${encodeURIComponent(item.name)}`;
  }

  function lastTickCell(tick) {
    if (!tick) return el("td", { class: "muted", text: "never evaluated" });
    return el("td", {},
      el("a", { href: `/automation/ticks/${tick.tick_id}`, class: "nowrap", text: ag.fmtTime(tick.timestamp) }), " ",
      agAutomation.tickBadge(tick.status),
      el("div", { class: "small muted", text: tick.note }));
  }

  function row(item) {
    const tr = el("tr", { "data-instigator": `${item.kind}:${item.name}` });
    const draw = (current) => {
      ag.clear(tr).append(
        el("td", {}, el("a", { href: instigatorHref(current), class: "mono", text: current.name }),
          current.description ? el("div", { class: "small muted", text: current.description }) : ""),
        el("td", { text: current.kind }),
        el("td", {}, agAutomation.toggle(current, draw)),
        el("td", { class: "mono small", text: current.kind === "schedule" ? `${current.cron_schedule} (${current.execution_timezone})` : `every ${current.minimum_interval_seconds} s` }),
        el("td", { class: "small", text: current.job ? `job ${current.job}` : current.target || "" }),
        lastTickCell(current.last_tick),
        el("td", { class: "nowrap", text: current.status === "running" ? ag.fmtTime(current.next_tick) : "—" }));
    };
    draw(item);
    return tr;
  }

  async function renderInstigators() {
    const items = await ag.api("/api/automation/instigators");
    ag.clear(instigatorsPanel).append(el("h2", { text: "Schedules and sensors" }));
    if (!items.length) {
      instigatorsPanel.append(el("p", { class: "muted", id: "no-instigators", text: "The code location defines no schedules or sensors." }));
      return;
    }
    instigatorsPanel.append(ag.table(["Name", "Kind", "State", "When", "Target", "Last tick", "Next tick"], items.map(row)));
  }

  function names(list) {
    if (!list.length) return "";
    const shown = list.slice(0, 6).map((key) => el("a", { href: ag.assetHref(key), class: "key chip", text: key }));
    return list.length > 6 ? [shown, el("span", { class: "muted small", text: `+${list.length - 6} more` })] : shown;
  }

  // Ticks, PAGE at a time: a tick of a large code location is a large record.
  const PAGE = 25;
  const pages = [];  // the before_id of each page shown, for "Newer"

  async function renderTicks(before) {
    const query = `?limit=${PAGE}` + (before ? `&before_id=${before}` : "");
    const ticks = await ag.api(`/api/automation/ticks${query}`);
    ag.clear(ticksPanel).append(el("h2", { text: "Ticks" }));
    const turn = (target) => async () => {
      try { await renderTicks(target); } catch (error) { ag.showError(ticksPanel, error); }
    };
    if (before || ticks.length === PAGE) {
      ticksPanel.append(el("div", { class: "controls" },
        el("button", { type: "button", id: "ticks-newer", text: "‹ Newer", disabled: !before || undefined,
          onclick: () => { pages.pop(); turn(pages[pages.length - 1])(); } }),
        el("button", { type: "button", id: "ticks-older", text: "Older ›", disabled: ticks.length < PAGE || undefined,
          onclick: () => { const last = ticks[ticks.length - 1].tick_id; pages.push(last); turn(last)(); } })));
    }
    if (!ticks.length) {
      ticksPanel.append(
        el("p", { id: "no-ticks", class: "empty", text: "No ticks recorded." }),
        el("p", { class: "muted", text: "Ticks appear here once the automation daemon ('assetgraph automate') evaluates policies, conditions, schedules and sensors." }));
      return;
    }
    ticksPanel.append(ag.table(["Tick", "Status", "Requested", "Waiting", "Skipped", "Runs", "Schedules and sensors"], ticks.map((tick) => el("tr", { "data-tick": tick.tick_id },
      el("td", { class: "nowrap" }, el("a", { href: `/automation/ticks/${tick.tick_id}`, text: ag.fmtTime(tick.timestamp) }),
        tick.errors.length ? el("div", { class: "error small", text: `${tick.errors.length} error(s)` }) : ""),
      el("td", {}, agAutomation.tickBadge(tick.status)),
      el("td", { class: "tick-requested" }, names(tick.requested)),
      el("td", { class: "tick-waiting" }, names(tick.waiting)),
      el("td", { class: "small muted", text: tick.skipped.length ? String(tick.skipped.length) : "" }),
      el("td", {}, tick.run_ids.map((id) => el("a", { href: ag.runHref(id), class: "mono chip", text: id.slice(0, 8) }))),
      el("td", { class: "small" }, Object.entries(tick.instigators).filter(([, note]) => note !== "stopped" && !note.startsWith("not due"))
        .map(([name, note]) => el("div", {}, el("span", { class: "mono", text: name }), `: ${note}`)))))));
  }

  try {
    await Promise.all([renderInstigators(), renderTicks(null)]);
  } catch (error) {
    ag.showError(main, error);
  }
  document.body.dataset.ready = "true";
})();
