/* The dapp's wallet side: EIP-6963 discovery with the EIP-1193 window.ethereum fallback,
   EIP-712 ballots relayed without gas, claims and task requests sent by the member's wallet. */
"use strict";
(function () {
  var config = JSON.parse(document.getElementById("kol-config").textContent);
  var M = config.messages;
  var announced = [];
  var provider = null;
  var account = config.account || null;

  function t(key, fields) {
    var text = M[key] || key;
    Object.keys(fields || {}).forEach(function (k) { text = text.split("{" + k + "}").join(String(fields[k])); });
    return text;
  }
  function show(el, text, kind) {
    if (!el) return;
    el.textContent = text;
    el.className = "result " + (kind || "");
  }
  function notice(text, kind) {
    var el = document.getElementById("notice");
    el.hidden = false;
    el.textContent = text;
    el.className = "notice " + (kind || "");
  }
  function reason(error) {
    return (error && (error.message || error.reason)) || String(error);
  }

  window.addEventListener("eip6963:announceProvider", function (event) {
    if (event.detail && event.detail.provider) announced.push(event.detail);
  });
  window.dispatchEvent(new Event("eip6963:requestProvider"));

  function findProvider() {
    if (provider) return provider;
    var dev = announced.filter(function (a) { return a.info && a.info.rdns === "org.kol.devwallet"; });
    if (config.devWallet && dev.length) provider = dev[0].provider;  /* kol up's, when offered */
    else if (announced.length) provider = announced[0].provider;
    else if (window.ethereum) provider = window.ethereum;
    return provider;
  }

  function remember(address) {
    var changed = (address || "").toLowerCase() !== (config.account || "").toLowerCase();
    account = address;
    document.cookie = "kol_account=" + (address || "") + "; path=/; max-age=" + (address ? 31536000 : 0) + "; samesite=lax";
    var button = document.getElementById("connect");
    if (address) button.textContent = t("wallet.connected", { address: address.slice(0, 6) + "…" + address.slice(-4) });
    return changed;
  }

  async function connect(interactive) {
    var p = findProvider();
    if (!p) { if (interactive) notice(t("wallet.none"), "bad"); return null; }
    var accounts = await p.request({ method: interactive ? "eth_requestAccounts" : "eth_accounts" });
    if (!accounts || !accounts.length) return null;
    var address = accounts[0];
    var ids = await p.request({ method: "eth_accounts" });
    if (ids && ids.length) address = ids[0];
    if (remember(address) && (interactive || !sessionStorage.getItem("kolReloaded"))) {
      sessionStorage.setItem("kolReloaded", "1");
      location.reload();
    }
    return account;
  }

  async function ready() {
    if (!account || !findProvider()) await connect(true);
    if (!account) throw new Error(t("wallet.needed"));
    var chain = parseInt(await provider.request({ method: "eth_chainId" }), 16);
    if (config.chainId && chain !== config.chainId) {
      try {
        await provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId: "0x" + config.chainId.toString(16) }] });
      } catch (e) {
        throw new Error(t("wallet.wrong_chain", { got: chain, want: config.chainId }));
      }
    }
    return account;
  }

  async function receipt(hash) {
    for (var i = 0; i < 120; i++) {
      var r = await provider.request({ method: "eth_getTransactionReceipt", params: [hash] });
      if (r) return r;
      await new Promise(function (ok) { setTimeout(ok, 500); });
    }
    return null;
  }

  async function send(to, data) {
    var hash = await provider.request({ method: "eth_sendTransaction", params: [{ from: account, to: to, data: data }] });
    var r = await receipt(hash);
    if (r && r.status !== "0x1" && r.status !== 1) throw new Error(t("common.tx_failed", { reason: hash }));
    return { hash: hash, receipt: r };
  }

  /* countdowns ----------------------------------------------------------------------- */
  var skew = (config.now || 0) - Math.floor(Date.now() / 1000);
  function tick() {
    var now = Math.floor(Date.now() / 1000) + skew;
    document.querySelectorAll(".countdown").forEach(function (el) {
      var left = Number(el.dataset.deadline) - now;
      if (left <= 0) { el.textContent = M["motion.closed"]; return; }
      var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
      el.textContent = (d ? d + M["time.d"] + " " : "") + h + M["time.h"] + " " + m + M["time.m"] + " " + s + M["time.s"];
    });
  }
  tick();
  setInterval(tick, 1000);

  /* voting ---------------------------------------------------------------------------- */
  async function vote(section, choice, out) {
    await ready();
    var typed = JSON.parse(section.querySelector(".typed").textContent);
    typed.message.voter = account;
    typed.message.choice = choice;
    show(out, t("motion.signing"));
    var signature = await provider.request({ method: "eth_signTypedData_v4", params: [account, JSON.stringify(typed)] });
    var body = {
      voter: account, motion_id: typed.message.motionId, stage_id: typed.message.stageId,
      choice: choice, expiry: typed.message.expiry, signature: signature,
      chain_id: typed.domain.chainId, council: typed.domain.verifyingContract
    };
    var url = config.relayUrl + "/ballots";
    var response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    var answer = null;
    try { answer = await response.json(); } catch (e) { answer = null; }
    if (response.status === 404 || response.status === 405 || answer === null || (response.status >= 500 && !(answer && answer.reason))) {
      throw new Error(t("motion.relay_missing", { url: url, status: response.status }));
    }
    if (!response.ok) throw new Error(t("motion.relay_error", { status: response.status, detail: answer.reason || answer.detail || "" }));
    show(out, t("motion.sent", { id: answer.id, status: answer.status }), "ok");
    section.dataset.item = answer.id;
    poll(answer.id, out);
  }
  async function poll(id, out) {
    for (var i = 0; i < 60; i++) {
      await new Promise(function (ok) { setTimeout(ok, 1000); });
      var r = await fetch(config.relayUrl + "/items/" + id);
      if (!r.ok) return;
      var item = await r.json();
      if (item.status === "included" || item.status === "rejected") {
        var why = item.result ? item.result.name : (item.reason || "");
        show(out, t("motion.sent", { id: id, status: item.status + (why ? " · " + why : "") }), item.status === "included" ? "ok" : "bad");
        return;
      }
    }
  }
  document.querySelectorAll(".stage").forEach(function (section) {
    section.querySelectorAll("button.vote").forEach(function (button) {
      button.addEventListener("click", function () {
        var out = section.querySelector(".result");
        section.querySelectorAll("button.vote").forEach(function (b) { b.disabled = true; });
        vote(section, Number(button.dataset.choice), out).catch(function (e) {
          show(out, reason(e), "bad");
          section.querySelectorAll("button.vote").forEach(function (b) { b.disabled = false; });
        });
      });
    });
  });

  /* claims ---------------------------------------------------------------------------- */
  document.querySelectorAll(".claim-button").forEach(function (button) {
    button.addEventListener("click", async function () {
      var card = button.closest(".claim"), out = card.querySelector(".result"), d = card.dataset;
      button.disabled = true;
      try {
        await ready();
        var data = window.kolAbi.encode(config.selectors.claim, [
          ["uint256", d.batch], ["uint256", d.index], ["address", d.account], ["uint8", d.role],
          ["uint256", d.amount], ["bytes32[]", JSON.parse(d.proof)]
        ]);
        show(out, t("claims.sending"));
        var sent = await send(config.token, data);
        show(out, t("claims.sent", { tx: sent.hash }) + (sent.receipt ? " " + t("common.confirmed", { block: parseInt(sent.receipt.blockNumber, 16) }) : ""), "ok");
        card.dataset.tx = sent.hash;
      } catch (e) {
        show(out, reason(e), "bad");
        button.disabled = false;
      }
    });
  });

  /* the client's task request ---------------------------------------------------------- */
  var form = document.getElementById("task-form");
  if (form) form.addEventListener("submit", async function (event) {
    event.preventDefault();
    var out = form.querySelector(".result");
    var kind = Number(form.kind.value), fee = form.fee.value.trim(), text = form.description.value.trim();
    if (!(kind >= 1 && kind <= 6)) return show(out, t("err.kind"), "bad");
    var m = /^(\d+)(?:\.(\d{1,6}))?$/.exec(fee);
    var units = m ? BigInt(m[1]) * 1000000n + BigInt((m[2] || "").padEnd(6, "0") || "0") : 0n;
    if (!m || units === 0n || units >= (1n << 128n)) return show(out, t("err.fee"), "bad");
    if (!text) return show(out, t("err.description"), "bad");
    if (!config.usdt) return show(out, t("tasks.no_usdt"), "bad");
    try {
      await ready();
      var hash = (await (await fetch(config.base + "/hash?text=" + encodeURIComponent(text))).json()).hash;
      var approve = window.kolAbi.encode(config.selectors.approve, [["address", config.treasury], ["uint256", units]]);
      show(out, t("tasks.approving", { tx: "…" }));
      await send(config.usdt, approve);
      show(out, t("tasks.requesting"));
      var request = window.kolAbi.encode(config.selectors.request_task, [["uint8", kind], ["bytes32", hash], ["uint256", units]]);
      var sent = await send(config.treasury, request);
      show(out, t("tasks.sent", { tx: sent.hash }), "ok");
    } catch (e) {
      show(out, reason(e), "bad");
    }
  });

  /* genesis claim ----------------------------------------------------------------------- */
  document.querySelectorAll(".genesis-claim-button").forEach(function (button) {
    button.addEventListener("click", async function () {
      var box = button.closest(".genesis-claim"), out = box.querySelector(".result");
      button.disabled = true;
      try {
        await ready();
        show(out, t("claims.sending"));
        var sent = await send(config.token, box.dataset.call);
        show(out, t("claims.sent", { tx: sent.hash }) + (sent.receipt ? " " + t("common.confirmed", { block: parseInt(sent.receipt.blockNumber, 16) }) : ""), "ok");
      } catch (e) {
        show(out, reason(e), "bad");
        button.disabled = false;
      }
    });
  });

  /* proposing a motion: the server checks the rules and encodes the call ------------------ */
  var pform = document.getElementById("propose-form");
  if (pform) {
    var fields = function () {
      var kind = pform.kind.value;
      pform.querySelectorAll("label[data-for]").forEach(function (label) {
        label.hidden = label.dataset.for.split(" ").indexOf(kind) < 0;
      });
    };
    pform.kind.addEventListener("change", fields);
    fields();
    pform.addEventListener("submit", async function (event) {
      event.preventDefault();
      var out = pform.querySelector(".result");
      var body = { kind: pform.kind.value, proposer: account, accounts: pform.accounts.value,
        parameters: pform.parameters.value, task: pform.task.value, start: pform.start.value,
        end: pform.end.value, scope: pform.scope.value };
      try {
        show(out, t("propose.checking"));
        var response = await fetch(config.base + "/propose?lang=" + config.lang, {
          method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
        var answer = await response.json();
        if (!response.ok) return show(out, answer.message, "bad");
        await ready();
        show(out, t("propose.sending"));
        var sent = await send(answer.to, answer.data);
        show(out, t("propose.sent", { tx: sent.hash }), "ok");
      } catch (e) {
        show(out, reason(e), "bad");
      }
    });
  }

  /* the wallet button ----------------------------------------------------------------- */
  document.getElementById("connect").addEventListener("click", function () {
    connect(true).catch(function (e) { notice(t("wallet.rejected", { reason: reason(e) }), "bad"); });
  });
  if (account) remember(account);
  setTimeout(function () { connect(false).catch(function () {}); }, 50);
})();
