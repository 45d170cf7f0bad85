// Cross-check of kol.domain.merkle (constitution §7, §8) against @openzeppelin/merkle-tree.
//
// Reads JSON on stdin: {"cases": [{"leafEncoding": [...], "values": [[...], ...],
//   "multiProof": [value indices] (optional), "dump": <a Python dump> (optional)}, ...]}
// Prints JSON on stdout: {"results": [{"root", "proofs", "dump", "multiProof",
//   "loaded": {"root", "proofs"} | {"error"}}, ...]}, each computed by OpenZeppelin's
// StandardMerkleTree. Values are passed as given (addresses as strings, integers as
// decimal strings), so OpenZeppelin's dump echoes them back unchanged.
'use strict';

const { StandardMerkleTree } = require('@openzeppelin/merkle-tree');

function run(input) {
  return input.cases.map(c => {
    const tree = StandardMerkleTree.of(c.values, c.leafEncoding);
    const result = {
      root: tree.root,
      proofs: c.values.map((_, i) => tree.getProof(i)),
      dump: tree.dump(),
    };
    if (c.multiProof !== undefined) {
      result.multiProof = tree.getMultiProof(c.multiProof);
    }
    if (c.dump !== undefined) {
      try {
        const loaded = StandardMerkleTree.load(c.dump);
        result.loaded = {
          root: loaded.root,
          proofs: c.dump.values.map((_, i) => loaded.getProof(i)),
          verified: c.dump.values.every((entry, i) =>
            StandardMerkleTree.verify(loaded.root, c.dump.leafEncoding, entry.value, loaded.getProof(i)),
          ),
        };
      } catch (error) {
        result.loaded = { error: String(error) };
      }
    }
    return result;
  });
}

const chunks = [];
process.stdin.on('data', chunk => chunks.push(chunk));
process.stdin.on('end', () => {
  const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  process.stdout.write(JSON.stringify({ results: run(input) }));
});
