// The interactive part of renewal's HTML report: the merchant table, its filter and search,
// each merchant's findings with the rule's explanation, and a live countdown.
// Every value from the report reaches the page through textContent, Text nodes or a
// validated attribute, never as markup, so a shop name that looks like markup shows as text.
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("report-data").textContent);
  const T = data.text;
  const PAGE = 200;
  const FEE = data.fee !== false; // no 应缴年费 column in a year without an annual fee
  const known = new Map(data.outcomes.map((o, rank) => [o.value, { ...o, rank }]));
  const merchants = data.merchants;
  const LABELS = Array.from(document.querySelectorAll("#merchant-table thead th"), (th) => th.textContent);
  const COLUMNS = LABELS.length;

  function outcomeOf(value) {
    return known.get(value) || { value, label: String(value), css: "o-other", rank: known.size };
  }

  function el(tag, className, ...children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
  }

  function money(value) {
    if (value === null || value === undefined) return "";
    const whole = Number.isInteger(value);
    const digits = whole ? 0 : 2;
    // as renewal.i18n.yuan: the minus before the sign (-¥5, never ¥-5)
    const text = Math.abs(value).toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
    return (value < 0 && text.replace(/[0.,]/g, "") !== "" ? "-¥" : "¥") + text;
  }

  // span and timeLeft mirror renewal.i18n.duration and time_left (the same words from the
  // catalogue, the same truncation: never more time than there is); a test holds them equal
  function span(seconds) {
    const whole = Math.max(Math.floor(seconds), 0);
    const days = Math.floor(whole / 86400);
    const hours = Math.floor((whole % 86400) / 3600);
    const minutes = Math.floor((whole % 3600) / 60);
    let parts;
    if (days) parts = [["d", days], ["h", hours]];
    else if (hours) parts = [["h", hours], ["m", minutes]];
    else if (minutes) parts = [["m", minutes]];
    else parts = [["s", whole % 60]];
    return parts
      .filter(([, n], index) => n || !index)
      .map(([unit, n]) => fill(T["left." + unit], { n }))
      .join(T["left.join"]);
  }

  function timeLeft(seconds) {
    if (seconds === null || seconds === undefined) return "";
    if (seconds > 0) return span(seconds);
    return seconds === 0 ? T["left.now"] : T["left.passed"];
  }

  // the time left as the CSV and the workbook write it: marked while some is left and the
  // merchant is due soon (i18n.marked_due_soon), the mark in a span that never breaks
  function leftCell(merchant) {
    const seconds = merchant.time_left_seconds;
    const left = timeLeft(seconds);
    if (merchant.due_soon && typeof seconds === "number" && seconds > 0) {
      const [before, after = ""] = T["annotated.due_soon"].split("{left}");
      const gap = /^\s*/.exec(after)[0];
      return el("td", "num left soon", before, left, gap, el("span", "mark", after.slice(gap.length)));
    }
    const late = typeof seconds === "number" && seconds <= 0;
    return el("td", late ? "num left late" : "num left", left);
  }

  // an amount owed: ¥0 when nothing is owed, 未知 / unknown when it cannot be told (the
  // workbook's blank), which the totals leave out
  function unknown(value) {
    return value === null || value === undefined;
  }

  function amountText(value) {
    return unknown(value) ? T.unknown : money(value);
  }

  function amountCell(value) {
    const cell = el("td", unknown(value) ? "num money unknown" : value === 0 ? "num money zero" : "num money", amountText(value));
    if (unknown(value)) cell.title = T.unknown_note;
    return cell;
  }

  const ISO = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?(\.\d+)?\+08:00$/;

  function shown(value) {
    if (value === null || value === undefined) return "—";
    if (typeof value === "boolean") return value ? T.yes : T.no;
    if (typeof value === "number") return value.toLocaleString("en-US");
    if (typeof value === "object") return described(value);
    if (typeof value === "string") {
      const moment = ISO.exec(value);
      if (!moment) return value;
      // as i18n.moment: the seconds when not zero, the fraction of one when not zero
      const fraction = (moment[4] || "").replace(/0+$/, "");
      const seconds = moment[3] || ":00";
      if (fraction.length > 1) return moment[1] + " " + moment[2] + seconds + fraction;
      return moment[1] + " " + moment[2] + (seconds !== ":00" ? seconds : "");
    }
    return JSON.stringify(value);
  }

  // a figure of a rule that weighs money (data.money_rules: DP01, AF01) is an amount, with
  // its ¥, as the finding's message and its "owed" beside it say it
  const MONEY_RULES = new Set(data.money_rules || []);
  function figure(found, value) {
    return MONEY_RULES.has(found.rule) && typeof value === "number" ? money(value) : shown(value);
  }

  // a dict of evidence (TB01: the points and their limits) in words, as the workbook and
  // JUnit say it (renewal.render.evidence, the catalogue's evidence.*): each key by its
  // label, a key without one by its own name; a list item by item
  const NOT_LABELS = new Set(["other", "join"]);
  function described(value) {
    if (Array.isArray(value)) return value.map(shown).join(T.list);
    return Object.entries(value)
      .map(([key, item]) => {
        const label = NOT_LABELS.has(key) ? undefined : T["evidence." + key];
        if (Object.hasOwn(T, "evidence." + key) && typeof label === "string") return fill(label, { value: shown(item) });
        return fill(T["evidence.other"], { key, value: shown(item) });
      })
      .join(T["evidence.join"]);
  }

  // an unreadable cell first, then a step that can no longer be made good (final), then
  // the first failure, then the first warning: as the terminal table's reason
  function reason(merchant) {
    const findings = merchant.findings || [];
    const first = (test) => findings.find((found) => test(found) && found.rule !== "TB01");
    const found =
      first((f) => f.status === "error") ||
      first((f) => f.status === "fail" && f.final === true) ||
      first((f) => f.status === "fail") ||
      first((f) => f.status === "warn");
    return found ? found.message || "" : "";
  }

  function badge(label, css) {
    return el("span", "badge " + css, label);
  }

  function statusCss(status) {
    return data.statuses[status] ? "s-" + status : "s-other";
  }

  function statusLabel(status) {
    return data.statuses[status] || String(status);
  }

  // --- rule explanations: the lines `renewal explain` prints ---------------------------

  const LINK = /https?:\/\/[^\s「」<>"'，。；、）)\]]+/g;

  function linked(text) {
    const part = document.createDocumentFragment();
    let last = 0;
    for (const found of text.matchAll(LINK)) {
      part.append(text.slice(last, found.index));
      const link = el("a", null, found[0]);
      link.href = found[0]; // http(s) only, by the pattern
      link.rel = "noopener noreferrer";
      link.target = "_blank";
      part.append(link);
      last = found.index + found[0].length;
    }
    part.append(text.slice(last));
    return part;
  }

  function explanation(code) {
    const rule = data.rules[code];
    const box = el("div", "explanation");
    if (!rule) {
      box.append(el("p", null, fill(T.no_explanation, { code })));
      return box;
    }
    for (const [indent, line] of rule.lines) {
      if (!line) continue;
      box.append(el("div", indent === 0 ? "h" : indent >= 4 ? "i4" : "i2", linked(line)));
    }
    return box;
  }

  // --- one merchant's findings --------------------------------------------------------

  function where(source) {
    if (!source) return "";
    return fill(source.column ? T.cell : T.cell_row, {
      sheet: source.sheet,
      row: source.row,
      column: source.column || "",
    });
  }

  function findingView(found) {
    const card = el("div", "finding " + statusCss(found.status));
    const rule = data.rules[found.rule];
    card.append(
      el(
        "div",
        "head",
        badge(statusLabel(found.status), statusCss(found.status)),
        el("span", "code", found.rule),
        rule ? rule.title : "",
      ),
    );
    card.append(el("p", "message", found.message || ""));
    const evidence = [];
    // an error's figures are what could be read, not a verdict: "expected 50,000 · actual
    // 50,000" beside "cannot tell" reads as a contradiction, so its message speaks alone
    if (found.status !== "error" && (found.expected !== null || found.actual !== null)) {
      evidence.push(T.expected + " " + figure(found, found.expected), T.actual + " " + figure(found, found.actual));
    }
    if (found.source) evidence.push(T.read_from + " " + where(found.source));
    if (found.owed) evidence.push(T.owed + " " + money(found.owed));
    if (evidence.length) card.append(el("p", "evidence", evidence.join(" · ")));
    if (found.remedy) card.append(el("p", "remedy", T.remedy + " " + found.remedy));
    if (found.waiver) {
      const waiver = found.waiver;
      const parts = [waiver.reason, T.approver + " " + waiver.approver];
      if (waiver.ticket) parts.push(T.ticket + " " + waiver.ticket);
      // a date alone is valid through that day and lapses at its end, a moment at itself
      const end = (waiver.expired ? "waiver.lapsed." : "waiver.valid.") + (String(waiver.expires).includes("T") ? "moment" : "day");
      parts.push(fill(T[end], { expires: shown(waiver.expires) }));
      card.append(el("p", "evidence waiver", T.waiver + " " + parts.join(" · ")));
    }
    const more = el("details", "explain", el("summary", null, T.explain));
    more.open = found.status === "fail" || found.status === "error" || found.status === "warn";
    more.append(explanation(found.rule));
    card.append(more);
    return card;
  }

  const SEVERITY = ["error", "fail", "warn", "waived"];

  function severity(status) {
    const rank = SEVERITY.indexOf(status);
    return rank < 0 ? SEVERITY.length : rank;
  }

  function merchantView(merchant) {
    const box = el("div", "findings");
    // the id and the shop name whole: the table may cut a long one short
    const facts = [];
    if (merchant.merchant_id) facts.push(LABELS[1] + " " + merchant.merchant_id);
    if (merchant.shop_name) facts.push(LABELS[2] + " " + merchant.shop_name);
    facts.push(where({ sheet: merchant.sheet, row: merchant.row, column: null }));
    if (merchant.next_action) facts.push(T.next + " " + merchant.next_action);
    box.append(el("p", "evidence", facts.join(" · ")));
    // what holds the merchant back first, then the rest in the rule set's order
    const findings = [...(merchant.findings || [])];
    findings.sort((a, b) => severity(a.status) - severity(b.status));
    for (const found of findings) box.append(findingView(found));
    return box;
  }

  // --- the table ----------------------------------------------------------------------

  // what a merchant is known to owe, and whether an amount of it cannot be told: ranked by
  // the first, then the second (as html.py picks the merchants a capped page embeds), so an
  // unknown amount comes before the same known amount and before owing nothing, never as ¥0
  function owed(merchant) {
    const amounts = [merchant.deposit_shortfall, merchant.annual_fee_due];
    const known = amounts.reduce((sum, amount) => sum + (typeof amount === "number" ? amount : 0), 0);
    return [known, amounts.some((amount) => typeof amount !== "number")];
  }

  const urgent = merchants.map((_, index) => index);
  const owing = merchants.map(owed);
  urgent.sort((a, b) => {
    const rank = outcomeOf(merchants[a].outcome).rank - outcomeOf(merchants[b].outcome).rank;
    if (rank) return rank;
    const [knownA, unknownA] = owing[a];
    const [knownB, unknownB] = owing[b];
    if (knownA !== knownB) return knownB > knownA ? 1 : -1;
    if (unknownA !== unknownB) return unknownA ? -1 : 1;
    return a - b;
  });
  const byRow = merchants.map((_, index) => index);

  const outcomeSelect = document.getElementById("outcome");
  const searchInput = document.getElementById("search");
  const orderSelect = document.getElementById("order");
  const body = document.getElementById("merchant-rows");
  const table = document.getElementById("merchant-table");
  const count = document.getElementById("shown-count");
  const moreButton = document.getElementById("more");

  const present = new Map();
  for (const merchant of merchants) present.set(merchant.outcome, (present.get(merchant.outcome) || 0) + 1);
  const choices = [...data.outcomes.map((o) => o.value)];
  for (const value of present.keys()) if (!known.has(value)) choices.push(value);
  for (const value of choices) {
    const option = el("option", null, outcomeOf(value).label + " (" + (present.get(value) || 0) + ")");
    option.value = value;
    outcomeSelect.append(option);
  }

  let matched = [];
  let limit = PAGE;

  function toggle(row, merchant, button) {
    const next = row.nextElementSibling;
    if (next && next.classList.contains("detail")) {
      next.remove();
      row.classList.remove("open");
      button.setAttribute("aria-expanded", "false");
      button.textContent = "▸";
      return;
    }
    const cell = el("td", null, merchantView(merchant));
    cell.colSpan = COLUMNS;
    row.after(el("tr", "detail", cell));
    row.classList.add("open");
    button.setAttribute("aria-expanded", "true");
    button.textContent = "▾";
  }

  function merchantRow(index) {
    const merchant = merchants[index];
    const outcome = outcomeOf(merchant.outcome);
    const button = el("button", "open", "▸");
    button.type = "button";
    button.setAttribute("aria-expanded", "false");
    button.title = T.open;
    const row = el(
      "tr",
      "merchant",
      el("td", "num", button, merchant.row),
      titled(el("td", "id", merchant.merchant_id || ""), merchant.merchant_id),
      titled(el("td", "shop", merchant.shop_name ? el("div", "clamp", merchant.shop_name) : ""), merchant.shop_name),
      el("td", "outcome", badge(outcome.label, outcome.css)),
      el("td", "reason", reason(merchant)),
      amountCell(merchant.deposit_shortfall),
      FEE ? amountCell(merchant.annual_fee_due) : null,
      el("td", "transfer", merchant.transfer_eligible === null ? "" : merchant.transfer_eligible ? T.yes : T.no),
      el("td", "next", merchant.next_action || ""),
      leftCell(merchant),
    );
    // each cell carries its column's name, shown beside the value on a phone's card layout
    row.querySelectorAll("td").forEach((cell, at) => { cell.dataset.label = LABELS[at] || ""; });
    row.dataset.index = String(index);
    row.dataset.outcome = outcome.value;
    row.addEventListener("click", () => toggle(row, merchant, button));
    return row;
  }

  // a cell the table may cut short (an id on one line, a shop name on three) carries its
  // whole text as a tooltip: an attribute set as text, never markup
  function titled(cell, text) {
    if (text) cell.title = String(text);
    return cell;
  }

  // the id and amount columns as wide as their longest text embedded (measured in the
  // table's own font), so that no id or amount is broken across lines; beyond its widest
  // an id ends in an ellipsis (whole in its tooltip and in the merchant's findings) and an
  // amount wraps
  const WIDEST = { "--id-width": 220, "--deposit-width": 150, "--fee-width": 150 };
  const NARROWEST = 40;
  function sizeColumns() {
    const style = getComputedStyle(table);
    const padding = parseFloat(getComputedStyle(table.querySelector("th")).paddingLeft) || 8;
    const pen = document.createElement("canvas").getContext("2d");
    if (pen) pen.font = style.fontWeight + " " + style.fontSize + " " + style.fontFamily;
    const widths = {
      "--id-width": merchants.map((merchant) => merchant.merchant_id || ""),
      "--deposit-width": merchants.map((merchant) => amountText(merchant.deposit_shortfall)),
    };
    if (FEE) widths["--fee-width"] = merchants.map((merchant) => amountText(merchant.annual_fee_due));
    else table.style.setProperty("--fee-width", "0px"); // no column: nothing in the table's least width
    for (const [name, texts] of Object.entries(widths)) {
      // the longest few by their characters: measuring every one of 20,000 is not needed
      const longest = [...new Set(texts)].sort((a, b) => b.length - a.length).slice(0, 200);
      let widest = NARROWEST;
      if (pen) for (const text of longest) widest = Math.max(widest, pen.measureText(text).width);
      table.style.setProperty(name, Math.ceil(Math.min(widest, WIDEST[name]) + 2 * padding + 2) + "px");
    }
    let digits = 1;
    for (const merchant of merchants) digits = Math.max(digits, String(merchant.row).length);
    table.style.setProperty("--row-digits", String(digits));
  }
  sizeColumns();

  // each column at least as wide as its header's longest word (--head-COLUMN): the header
  // text measured unbroken but where the language breaks a line (between words in English,
  // between any two characters in Chinese), in the header's own font and padding, so that
  // "Merchant" above ids as short as M001 is not drawn over "Shop name"; measured in a copy
  // outside the table, as the header row of the cards (a phone) is not laid out at all
  function sizeHeads() {
    const cols = table.querySelectorAll("colgroup col");
    table.querySelectorAll("thead th").forEach((th, index) => {
      const col = cols[index];
      if (!col) return;
      const style = getComputedStyle(th);
      const copy = document.createElement("span");
      copy.textContent = th.textContent;
      copy.style.cssText = "position:absolute;visibility:hidden;width:min-content;white-space:normal;overflow-wrap:normal";
      for (const key of ["fontFamily", "fontSize", "fontWeight", "fontStyle", "letterSpacing"]) copy.style[key] = style[key];
      document.body.append(copy);
      const word = copy.getBoundingClientRect().width;
      copy.remove();
      const room = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight) + parseFloat(style.borderLeftWidth || "0");
      table.style.setProperty("--head-" + col.className.replace(/^c-/, ""), Math.ceil(word + room + 1) + "px");
    });
  }
  sizeHeads();

  function render() {
    const wanted = outcomeSelect.value;
    const query = searchInput.value.trim().toLowerCase();
    const order = orderSelect.value === "row" ? byRow : urgent;
    matched = order.filter((index) => {
      const merchant = merchants[index];
      if (wanted && merchant.outcome !== wanted) return false;
      if (!query) return true;
      return (
        (merchant.merchant_id || "").toLowerCase().includes(query) ||
        (merchant.shop_name || "").toLowerCase().includes(query)
      );
    });
    const rows = matched.slice(0, limit).map(merchantRow);
    body.replaceChildren(...rows);
    if (!rows.length) {
      const cell = el("td", "empty", T.none);
      cell.colSpan = COLUMNS;
      body.append(el("tr", null, cell));
    }
    count.textContent = fill(T.showing, { shown: rows.length, matched: matched.length, embedded: merchants.length });
    const left = matched.length - rows.length;
    moreButton.hidden = left <= 0;
    moreButton.textContent = fill(T.more, { count: Math.min(left, PAGE), left });
  }

  function restart() {
    limit = PAGE;
    render();
  }

  outcomeSelect.addEventListener("change", restart);
  searchInput.addEventListener("input", restart);
  orderSelect.addEventListener("change", restart);
  moreButton.addEventListener("click", () => {
    limit += PAGE;
    render();
  });
  render();

  // --- the rules, once each -----------------------------------------------------------

  const rules = document.getElementById("rule-list");
  for (const [code, rule] of Object.entries(data.rules)) {
    const item = el("details", null, el("summary", null, el("span", "code", code), " ", rule.title));
    item.append(explanation(code));
    rules.append(item);
  }

  // --- the live countdown: the browser's clock against the deadline --------------------

  const live = document.getElementById("live-countdown");
  if (live && typeof data.deadline_ms === "number") {
    // whole seconds as renewal.timeutil.seconds_left counts them: truncated, and any part
    // of a second before the deadline is a second left, any part past it past it
    const tick = () => {
      const left = (data.deadline_ms - Date.now()) / 1000;
      const whole =
        left > 0 ? Math.max(Math.floor(left), 1) : left === 0 ? 0 : Math.min(Math.trunc(left), -1);
      live.textContent = timeLeft(whole);
    };
    tick();
    setInterval(tick, 1000);
  }
})();
