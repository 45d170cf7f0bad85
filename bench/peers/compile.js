// Compiles a Solidity standard-JSON input (stdin) with the installed solc-js and prints
// {"solc": <version>, "output": <standard-JSON output>} (stdout). Imports resolve against this
// folder's node_modules (the npm packages of the peers), then this folder.
"use strict";

const fs = require("fs");
const path = require("path");
const solc = require("solc");

function findImports(importPath) {
  for (const base of [path.join(__dirname, "node_modules"), __dirname]) {
    const file = path.resolve(base, importPath);
    if (file.startsWith(base + path.sep) && fs.existsSync(file)) {
      return { contents: fs.readFileSync(file, "utf8") };
    }
  }
  return { error: `not found: ${importPath}` };
}

const input = fs.readFileSync(0, "utf8");
const output = JSON.parse(solc.compile(input, { import: findImports }));
process.stdout.write(JSON.stringify({ solc: solc.version(), output }));
