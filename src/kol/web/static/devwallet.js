/* The dev wallet of `kol up` (devnet only): an EIP-6963 wallet whose keys are the devnet's
   public dev keys, held by the web server. A picker in the header says whom the page acts as;
   every request goes to POST {base}/dev-wallet/rpc with the X-KOL-Dev-Wallet header. */
"use strict";
(function () {
  var config = JSON.parse(document.getElementById("kol-config").textContent);
  var dev = config.devWallet;
  if (!dev) return;
  var M = config.messages;
  var KEY = "kolDevAccount";

  function current() { return localStorage.getItem(KEY) || config.account || dev.default; }

  async function post(path, body) {
    var r = await fetch(dev.url + path, {
      method: "POST",
      headers: { "content-type": "application/json", "x-kol-dev-wallet": "1" },
      body: JSON.stringify(body),
    });
    var answer = await r.json();
    if (!r.ok) {
      var error = new Error(answer.detail || answer.error || String(r.status));
      error.code = r.status === 400 ? -32602 : 4001;
      throw error;
    }
    return answer;
  }

  var provider = {
    isKolDevWallet: true,
    async request(args) {
      var method = args.method, params = args.params || [];
      if (method === "eth_requestAccounts" || method === "eth_accounts") return [current()];
      return (await post("/rpc", { account: current(), method: method, params: params })).result;
    },
    on() {}, removeListener() {},
  };
  var info = Object.freeze({
    uuid: "0f6a2b4c-5d7e-4f80-9a1b-2c3d4e5f6071", name: M["devwallet.name"] || "KOL dev wallet",
    icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 8 8'%3E%3Crect width='8' height='8' fill='%23c0392b'/%3E%3C/svg%3E",
    rdns: "org.kol.devwallet",
  });
  function announce() {
    window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info: info, provider: provider }) }));
  }
  window.addEventListener("eip6963:requestProvider", announce);
  announce();

  function act(address) {
    localStorage.setItem(KEY, address);
    document.cookie = "kol_account=" + address + "; path=/; max-age=31536000; samesite=lax";
    location.reload();
  }

  async function picker() {
    var select = document.getElementById("dev-account");
    if (!select) return;
    var r = await fetch(dev.url + "/accounts");
    var found = await r.json();
    var chosen = current().toLowerCase();
    found.accounts.forEach(function (a) {
      var option = document.createElement("option");
      option.value = a.address;
      option.textContent = a.label + " · " + a.name + " · " + a.address.slice(0, 6) + "…" + a.address.slice(-4);
      if (a.address.toLowerCase() === chosen) option.selected = true;
      select.appendChild(option);
    });
    select.addEventListener("change", function () { act(select.value); });
    var faucet = document.getElementById("dev-faucet");
    if (faucet) faucet.addEventListener("click", async function () {
      var out = document.getElementById("notice");
      out.hidden = false;
      try {
        await post("/faucet", { account: current() });
        out.textContent = M["devwallet.funded"];
        out.className = "notice good";
      } catch (e) {
        out.textContent = e.message;
        out.className = "notice bad";
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", picker);
  else picker();
})();
