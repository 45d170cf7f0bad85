/* A tiny ABI encoder: just what the dapp's calls need (uint, address, bytes32, bytes32[]).
   Function selectors come from the server (kol.web computes keccak256 of each signature). */
"use strict";
(function () {
  function word(hex) {
    hex = hex.replace(/^0x/, "").toLowerCase();
    if (!/^[0-9a-f]*$/.test(hex) || hex.length > 64) throw new Error("abi: bad value 0x" + hex);
    return hex.padStart(64, "0");
  }
  function uint(value) {
    var n = BigInt(value);
    if (n < 0n || n >= (1n << 256n)) throw new Error("abi: uint out of range " + value);
    return word(n.toString(16));
  }
  function address(value) {
    if (!/^0x[0-9a-fA-F]{40}$/.test(value)) throw new Error("abi: bad address " + value);
    return word(value);
  }
  function bytes32(value) {
    if (!/^0x[0-9a-fA-F]{64}$/.test(value)) throw new Error("abi: bad bytes32 " + value);
    return value.slice(2).toLowerCase();
  }
  /* Encodes arguments given as [type, value] pairs; the one dynamic type is "bytes32[]". */
  function encode(selector, args) {
    var head = "", tail = "", headSize = 32 * args.length;
    args.forEach(function (pair) {
      var type = pair[0], value = pair[1];
      if (type === "bytes32[]") {
        head += uint(headSize + tail.length / 2);
        tail += uint(value.length) + value.map(bytes32).join("");
      } else if (type === "address") head += address(value);
      else if (type === "bytes32") head += bytes32(value);
      else if (/^uint\d*$/.test(type)) head += uint(value);
      else throw new Error("abi: unsupported type " + type);
    });
    return selector + head + tail;
  }
  window.kolAbi = { encode: encode, uint: uint };
})();
