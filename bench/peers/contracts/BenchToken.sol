// SPDX-License-Identifier: AGPL-3.0-only
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/// @title The voting token of the OpenZeppelin Governor peer (issue 6)
/// @notice OpenZeppelin Contracts Wizard's ERC20 + ERC20Permit + ERC20Votes; the constructor
/// mints each holder its amount (holders delegate to themselves afterwards).
contract BenchToken is ERC20, ERC20Permit, ERC20Votes {
    constructor(address[] memory holders, uint256[] memory amounts)
        ERC20("Bench Votes", "BVOTE")
        ERC20Permit("Bench Votes")
    {
        require(holders.length == amounts.length, "BenchToken: lengths differ");
        for (uint256 i = 0; i < holders.length; i++) {
            _mint(holders[i], amounts[i]);
        }
    }

    // The following functions are overrides required by Solidity.

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }

    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }
}
