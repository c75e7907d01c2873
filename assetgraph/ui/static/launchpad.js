// The launchpad: materialize a selection written in the selection language (as the CLI's
// --select), over one partition, a range, all, missing or stale partitions, with run
// config. Each change previews the plan (steps per asset, missing upstream partitions,
// config fields); a large launch asks for a second click that shows its size; a range
// can be stored as a backfill instead of one run. The URL (?select=&partition=&first=
// &last=&missing=1&stale=1&all=1&exclude=) fills the form, so other pages link here.
"use strict";

(() => {
  const { el, main } = ag;
  const params = new URLSearchParams(location.search);
  main.append(el("h1", { text: "Launchpad" }));

  const input = (id, attrs) => el("input", Object.assign({ id, type: "text", autocomplete: "off", spellcheck: "false" }, attrs));
  const selectBox = input("lp-select", { class: "mono wide-input", placeholder: "+summary   group:sales   tag:tier=gold   *", "aria-label": "Selection", value: params.get("select") || "" });
  const excludeBox = input("lp-exclude", { class: "mono", placeholder: "exclude (optional)", "aria-label": "Exclude", value: params.get("exclude") || "" });
  const keyBox = input("lp-partition", { class: "mono", placeholder: "partition key", "aria-label": "Partition key", value: params.get("partition") || "" });
  const firstBox = input("lp-first", { class: "mono", placeholder: "first", "aria-label": "First partition", value: params.get("first") || "" });
  const lastBox = input("lp-last", { class: "mono", placeholder: "last", "aria-label": "Last partition", value: params.get("last") || "" });
  const missingBox = el("input", { id: "lp-missing", type: "checkbox", checked: params.get("missing") === "1" });
  const staleBox = el("input", { id: "lp-stale", type: "checkbox", checked: params.get("stale") === "1" });
  const tagsBox = input("lp-tags", { class: "mono", placeholder: "tags: team=data priority=5", "aria-label": "Run tags (KEY=VALUE, space separated)" });
  const configBox = el("textarea", { id: "lp-config", class: "mono", rows: 5, spellcheck: "false", placeholder: "summary:\n  title: monthly\n  top: 5", "aria-label": "Run config (YAML or JSON)" });

  const initialMode = params.get("partition") ? "key" : params.get("first") ? "range" : params.get("all") === "1" ? "all" : "none";
  const modes = [["none", "None (unpartitioned, or only missing/stale)"], ["key", "One key"], ["range", "Range"], ["all", "All partitions"]];
  const modeRadios = modes.map(([value, label]) =>
    el("label", { class: "choice" }, el("input", { type: "radio", name: "lp-mode", id: `lp-mode-${value}`, value, checked: value === initialMode }), ` ${label}`)
  );
  const asRun = el("input", { type: "radio", name: "lp-as", id: "lp-as-run", value: "run", checked: true });
  const asBackfill = el("input", { type: "radio", name: "lp-as", id: "lp-as-backfill", value: "backfill" });
  const previewButton = el("button", { id: "lp-preview", type: "button", text: "Preview" });
  const launchButton = el("button", { id: "lp-launch", class: "primary", type: "button", text: "Launch", disabled: true });
  const cancelConfirm = el("button", { id: "lp-confirm-cancel", type: "button", text: "Cancel", hidden: true });
  const templateButton = el("button", { id: "lp-config-template", type: "button", text: "Fill in defaults", hidden: true });
  const errorBox = el("div", { id: "lp-error", role: "alert" });
  const planBox = el("section", { id: "lp-plan", class: "panel", hidden: true });
  const resultBox = el("section", { id: "lp-result", class: "panel", role: "status", hidden: true });

  main.append(
    el("section", { class: "panel", id: "lp-form" },
      el("h2", { text: "Selection" }),
      el("div", { class: "controls" }, selectBox, excludeBox),
      el("p", { class: "muted small", text: "As the CLI's --select: key, +key (and upstream), key+ (and downstream), 2+key, group:NAME, tag:K=V, *; space = union, comma = intersection." }),
      el("h2", { text: "Partitions" }),
      el("div", { class: "controls", id: "lp-modes" }, modeRadios),
      el("div", { class: "controls", id: "lp-key-row" }, keyBox),
      el("div", { class: "controls", id: "lp-range-row" }, firstBox, el("span", { text: "…" }), lastBox),
      el("div", { class: "controls" },
        el("label", { class: "choice" }, missingBox, " only missing"),
        el("label", { class: "choice" }, staleBox, " only stale")),
      el("h2", { text: "Run config" }),
      el("div", { class: "controls" }, configBox),
      el("div", { class: "controls" }, templateButton, el("span", { class: "muted small", id: "lp-config-fields" })),
      el("h2", { text: "Launch as" }),
      el("div", { class: "controls" },
        el("label", { class: "choice" }, asRun, " one run"),
        el("label", { class: "choice" }, asBackfill, " a backfill (the daemon runs it in parts, resumable)"),
        tagsBox),
      el("div", { class: "controls" }, previewButton, launchButton, cancelConfirm),
      errorBox),
    planBox,
    resultBox
  );

  const count = (n, word) => `${n.toLocaleString()} ${word}${n === 1 ? "" : "s"}`;
  const mode = () => document.querySelector("input[name=lp-mode]:checked").value;
  function showRows() {
    document.getElementById("lp-key-row").hidden = mode() !== "key";
    document.getElementById("lp-range-row").hidden = mode() !== "range";
  }

  function request() {
    const body = { selection: selectBox.value.trim(), missing: missingBox.checked, stale: staleBox.checked, as_backfill: asBackfill.checked };
    if (excludeBox.value.trim()) body.exclude = excludeBox.value.trim();
    if (mode() === "key") body.partition = keyBox.value.trim();
    if (mode() === "range") body.partition_range = { first: firstBox.value.trim(), last: lastBox.value.trim() };
    if (mode() === "all") body.all_partitions = true;
    if (configBox.value.trim()) body.run_config = configBox.value;
    body.tags = {};
    for (const item of tagsBox.value.split(/[\s,]+/).filter(Boolean)) {
      const at = item.indexOf("=");
      if (at <= 0) throw new Error(`Tag '${item}': write it as KEY=VALUE.`);
      body.tags[item.slice(0, at)] = item.slice(at + 1);
    }
    return body;
  }

  let current = null; // the preview of the form as it is now, else null
  let template = null; // the config template of the last plan (kept while the config is wrong)
  let confirming = false;
  let generation = 0;

  function resetLaunch() {
    confirming = false;
    cancelConfirm.hidden = true;
    launchButton.classList.remove("confirm");
    launchButton.textContent = asBackfill.checked ? "Launch backfill" : "Launch";
    launchButton.disabled = current === null || current.steps === 0 || (asBackfill.checked && current.backfill_note !== null);
  }

  async function preview() {
    const mine = ++generation;
    current = null;
    resetLaunch();
    ag.clear(errorBox);
    const missingPart = !selectBox.value.trim() ? "Write a selection to see its plan."
      : mode() === "key" && !keyBox.value.trim() ? "Write the partition key."
      : mode() === "range" && !(firstBox.value.trim() && lastBox.value.trim()) ? "Write the first and last partition of the range."
      : null;
    if (missingPart) {
      planBox.hidden = true;
      errorBox.append(el("p", { class: "muted", id: "lp-hint", text: missingPart }));
      return;
    }
    let found;
    try {
      found = await ag.post("/api/launchpad/preview", request());
    } catch (error) {
      if (mine !== generation) return;
      planBox.hidden = true;
      ag.showError(errorBox, error);
      return;
    }
    if (mine !== generation) return; // the form changed while this preview was on its way
    if (found.error) {
      planBox.hidden = true;
      ag.showError(errorBox, found.error);
      return;
    }
    current = found;
    renderPlan(found);
    resetLaunch();
  }

  function renderPlan(p) {
    ag.clear(planBox).hidden = false;
    planBox.append(
      el("h2", {}, "Plan: ", el("span", { id: "lp-total-steps", text: count(p.steps, "step") }), ", ",
        el("span", { id: "lp-total-partitions", text: count(p.partitions, "partition") }),
        ` of ${count(p.assets.length, "asset")}`),
      ag.table(["Asset", "Steps", "Partitions", "First", "Last"], p.assets.map((a) =>
        el("tr", { "data-asset": a.name },
          el("td", {}, el("a", { class: "key", href: ag.assetHref(a.keys[0]), text: a.name })),
          el("td", { text: a.steps.toLocaleString() }),
          el("td", { text: a.partitions ? a.partitions.toLocaleString() : "—" }),
          el("td", { class: "mono", text: a.first || "—" }),
          el("td", { class: "mono", text: a.last || "—" }))))
    );
    if (p.steps === 0) planBox.append(el("p", { class: "muted", id: "lp-nothing", text: "Nothing to do: every partition asked for is already done." }));
    if (p.warnings.length) {
      const list = el("ul", { class: "why", id: "lp-warnings" }, p.warnings.map((w) => el("li", { class: "warning", "data-upstream": w.upstream }, w.message)));
      planBox.append(el("div", { class: "lp-warning" },
        el("strong", { text: "Missing upstream" }), list,
        el("button", { type: "button", id: "lp-include-upstream", text: `Include upstream: ${p.include_upstream}`, onclick: () => { selectBox.value = p.include_upstream; preview(); } })));
    }
    if (p.in_flight.length) {
      planBox.append(el("div", { class: "lp-warning", id: "lp-in-flight" },
        el("strong", { text: "Already in flight" }),
        el("ul", { class: "why" }, p.in_flight.map((r) => el("li", {}, el("a", { href: ag.runHref(r.run_id), class: "mono", text: r.run_id.slice(0, 8) }), ` ${r.message.replace(/^Run \S+ /, "")}`)))));
    }
    if (p.confirm_reason) planBox.append(el("p", { class: "muted", id: "lp-confirm-note", text: `${p.confirm_reason} Launching asks for a second click.` }));
    if (asBackfill.checked && p.backfill_note) planBox.append(el("p", { class: "error", id: "lp-backfill-note", text: p.backfill_note }));
    const fields = document.getElementById("lp-config-fields");
    fields.textContent = p.config_fields.length
      ? "Config fields: " + p.config_fields.map((f) => `${f.asset}.${f.field}: ${f.type}${f.required ? " (required)" : ` = ${JSON.stringify(f.default)}`}`).join(", ")
      : "";
    template = p.config_template;
    templateButton.hidden = !template;
  }

  async function launch() {
    if (current === null) return;
    if (current.needs_confirmation && !confirming) {
      confirming = true;
      launchButton.classList.add("confirm");
      launchButton.textContent = `Confirm: launch ${count(current.steps, "step")} (${count(current.partitions, "partition")})`;
      cancelConfirm.hidden = false;
      return;
    }
    launchButton.disabled = true;
    ag.clear(errorBox);
    let started;
    try {
      started = await ag.post("/api/launchpad/launch", Object.assign(request(), { confirmed_steps: current.steps }));
    } catch (error) {
      ag.showError(errorBox, error);
      resetLaunch();
      return;
    }
    showResult(started);
    resetLaunch();
  }

  async function showResult(started) {
    ag.clear(resultBox).hidden = false;
    if (started.backfill_id) {
      resultBox.append(el("p", {}, "Backfill ", el("a", { id: "lp-backfill-link", class: "mono", href: started.url, text: started.backfill_id }), ` stored. ${started.message}`));
      resultBox.scrollIntoView({ block: "nearest" });
      return;
    }
    const state = el("span", { id: "lp-run-status" }, ag.badge("queued", "run"));
    const progress = el("span", { id: "lp-run-progress", class: "muted" });
    resultBox.append(el("p", {}, "Run ", el("a", { id: "lp-run-link", class: "mono", href: started.url, text: started.run_id.slice(0, 8) }), ` (${count(started.steps, "step")}) `, state, " ", progress));
    resultBox.scrollIntoView({ block: "nearest" });
    for (;;) {
      const detail = await ag.api(`/api/runs/${encodeURIComponent(started.run_id)}`);
      ag.clear(state).append(ag.badge(detail.run.status, "run"));
      state.dataset.status = detail.run.status;
      const done = detail.steps.filter((step) => step.status !== "running").length;
      progress.textContent = `${done.toLocaleString()} of ${count(started.steps, "step")} finished`;
      if (detail.run.ended_at !== null) {
        if (detail.run.error) resultBox.append(el("pre", { class: "error", text: detail.run.error }));
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 700));
    }
  }

  let timer = null;
  function changed() {
    showRows();
    current = null;
    resetLaunch();
    clearTimeout(timer);
    timer = setTimeout(preview, 350);
  }
  for (const box of [selectBox, excludeBox, keyBox, firstBox, lastBox, configBox, tagsBox]) box.addEventListener("input", changed);
  for (const box of [missingBox, staleBox, asRun, asBackfill, ...document.querySelectorAll("input[name=lp-mode]")]) box.addEventListener("change", changed);
  selectBox.addEventListener("keydown", (event) => { if (event.key === "Enter") { clearTimeout(timer); preview(); } });
  previewButton.addEventListener("click", () => { clearTimeout(timer); preview(); });
  launchButton.addEventListener("click", launch);
  cancelConfirm.addEventListener("click", resetLaunch);
  templateButton.addEventListener("click", () => {
    if (template) {
      configBox.value = template;
      changed();
    }
  });

  showRows();
  selectBox.focus();
  (selectBox.value ? preview() : Promise.resolve()).finally(() => { document.body.dataset.ready = "true"; });
})();
