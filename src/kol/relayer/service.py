"""The relayer: accepts signed ballots and sponsorships, queues them, submits them in batches.

:meth:`Relayer.accept` parses an item, checks it against the chain (``kol.relayer.checks``) and
the per-address rate limits, and queues it. :meth:`Relayer.pump` first settles what was sent
before (receipts; a transaction recorded but never sent is sent now, as the same signed bytes),
then signs one batch per route — the transaction's hash and raw bytes recorded with its items
marked ``submitted`` in one database transaction — sends it and records each item's result as
the council reported it (``BallotRejected`` / ``SponsorshipRejected`` name the skipped ones by
index). One transaction is in flight at a time, so nonces never race. :meth:`Relayer.run` pumps
every ``batch_interval`` seconds until stopped.

The relayer holds only its own key (it pays the gas); it forwards the members' signatures and
never needs theirs.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, Final

from eth_abi.abi import decode
from eth_utils.crypto import keccak

from kol.alliance import MAX_BALLOTS_PER_CALL, MAX_SPONSORSHIPS_PER_CALL, RuleViolation
from kol.chain.deployment import Deployment
from kol.chain.keys import refuse_plain_keys
from kol.chain.rpc import ChainError, RpcBackend, TransactionSigner
from kol.relayer.checks import Checked, Checker
from kol.relayer.items import (
    BallotItem,
    Kind,
    Rejection,
    Route,
    SponsorshipItem,
    parse_ballot,
    parse_sponsorship,
)
from kol.relayer.queue import Duplicate, Item, Queue, Submission, SubmissionStatus
from kol.relayer.ratelimit import TokenBuckets

__all__ = [
    "BALLOT_RESULTS",
    "SPONSORSHIP_RESULTS",
    "Relayer",
    "RelayerSettings",
]

log = logging.getLogger("kol.relayer")

MAX_WALLET_BALLOTS_PER_CALL: Final = 16
"""``cast_wallet_ballots`` takes at most 16 (``ballots.vy``: MAX_WALLET_BALLOTS)."""
_CAPS: Final = {
    Route.BALLOTS: MAX_BALLOTS_PER_CALL,
    Route.WALLET_BALLOTS: MAX_WALLET_BALLOTS_PER_CALL,
    Route.SPONSORSHIPS: MAX_SPONSORSHIPS_PER_CALL,
}

BALLOT_RESULTS: Final[Mapping[int, tuple[str, str | None]]] = {
    0: ("recorded", None),
    1: ("no_such_stage", "ballots: no such stage"),
    2: ("stage_closed", "ballots: the stage's deadline has passed"),
    3: ("not_seated", "ballots: voter is not seated in the stage's chamber"),
    4: ("seated_after_opening", "ballots: voter was seated after the stage opened"),
    5: ("already_voted", "ballots: voter already voted in this stage"),
    6: ("bad_choice", "ballots: choice is 1 (for), 2 (against) or 3 (abstain)"),
    7: ("expired", "ballots: the signed ballot has expired"),
    8: ("bad_signature", "ballots: bad signature"),
}
"""The council's status codes for a relayed ballot (``ballots.vy``), with its reasons."""

SPONSORSHIP_RESULTS: Final[Mapping[int, tuple[str, str | None]]] = {
    0: ("recorded", None),
    1: ("not_sponsoring", "sponsorships: the motion is not gathering sponsors"),
    2: ("window_closed", "sponsorships: the sponsorship window has closed"),
    3: ("not_in_body", "sponsorships: sponsor is not in the sponsoring body"),
    4: ("joined_after_proposal", "sponsorships: sponsor joined after the motion was proposed"),
    5: ("already_sponsored", "sponsorships: already sponsored"),
    6: ("expired", "sponsorships: the signed sponsorship has expired"),
    7: ("bad_signature", "sponsorships: bad signature"),
}
"""The council's status codes for a relayed sponsorship (``sponsorships.vy``)."""

_REJECTED_TOPIC: Final = {
    Route.BALLOTS: keccak(text="BallotRejected(uint256,address,uint256,uint8)"),
    Route.WALLET_BALLOTS: keccak(text="BallotRejected(uint256,address,uint256,uint8)"),
    Route.SPONSORSHIPS: keccak(text="SponsorshipRejected(uint256,address,uint256,uint8)"),
}


@dataclass(frozen=True)
class RelayerSettings:
    """How the relayer batches and limits; every field also from ``KOL_RELAYER_<FIELD>``."""

    database_url: str | None = None
    """The queue's database (default ``KOL_RELAYER_DATABASE_URL`` or ``.kol/relayer.sqlite3``)."""
    batch_size: int = 100
    """Items per transaction at most (capped by what each council function takes)."""
    batch_interval: float = 2.0
    """Seconds between two rounds of the submitter."""
    receipt_timeout: float = 60.0
    """Seconds to wait for a receipt within a round (later rounds look again)."""
    signer_per_minute: float = 30.0
    """Items one signer may have accepted per minute, on average…"""
    signer_burst: int = 10
    """…and at once."""
    client_per_minute: float = 600.0
    """Requests one client (IP address) may make per minute, on average…"""
    client_burst: int = 120
    """…and at once."""
    max_body_bytes: int = 8_192
    """Largest request body (a ballot is about 400 bytes; a wallet's signature up to 2 KB)."""
    max_attempts: int = 3
    """Transactions an item may ride in that revert before it is rejected."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **given: Any) -> RelayerSettings:
        """Settings from ``KOL_RELAYER_*`` variables; ``given`` (not None) wins over them. A
        variable holding a plain private key (``KOL_RELAYER_PRIVATE_KEY`` …) is refused
        (``kol.chain.keys.PlainKeyRefused``, a ``ValueError``): the relayer's key is a keystore
        or an external signer, given to :meth:`Relayer.connect`."""
        env = os.environ if environ is None else environ
        refuse_plain_keys(env, "KOL_RELAYER_")
        values: dict[str, Any] = {}
        for f in fields(cls):
            text = env.get(f"KOL_RELAYER_{f.name.upper()}")
            if text is None or text == "":
                continue
            kind = type(getattr(cls(), f.name)) if f.name != "database_url" else str
            try:
                values[f.name] = kind(text)
            except ValueError:
                wanted = {int: "a whole number", float: "a number"}.get(kind, "text")
                raise ValueError(f"KOL_RELAYER_{f.name.upper()}={text!r} is not {wanted}") from None
        values.update({k: v for k, v in given.items() if v is not None})
        settings = replace(cls(), **values)
        settings.validate()
        return settings

    def validate(self) -> None:
        if self.batch_size < 1:
            raise ValueError("the batch size is at least 1")
        if self.batch_interval <= 0 or self.receipt_timeout <= 0:
            raise ValueError("the batch interval and the receipt timeout are positive seconds")
        if self.max_body_bytes < 512:
            raise ValueError("the largest body is at least 512 bytes")


def _signature_parts(signature: bytes) -> tuple[int, bytes, bytes]:
    return signature[64], signature[:32], signature[32:64]


class Relayer:
    """One deployment's relayer (see the module's docstring).

    ``backend`` reads the chain for the checks; ``submitter`` (default: the same backend)
    holds the relayer's key and sends. ``sender`` is that key's address; without it the relayer
    only accepts (another process submits from the same queue)."""

    def __init__(
        self,
        backend: RpcBackend,
        queue: Queue,
        settings: RelayerSettings | None = None,
        *,
        sender: str | None = None,
        submitter: RpcBackend | None = None,
    ) -> None:
        self.settings = settings if settings is not None else RelayerSettings()
        self.settings.validate()
        self.backend = backend
        self.queue = queue
        self.checker = Checker(backend)
        self.submitter = submitter if submitter is not None else backend
        self.sender = sender
        self.signers = TokenBuckets(self.settings.signer_per_minute, self.settings.signer_burst)
        self.clients = TokenBuckets(self.settings.client_per_minute, self.settings.client_burst)
        self._pump_lock = threading.Lock()

    @classmethod
    def connect(
        cls,
        deployment: Deployment,
        key: TransactionSigner | None,
        settings: RelayerSettings | None = None,
        *,
        url: str | None = None,
    ) -> Relayer:
        """A relayer for ``deployment`` over the node at ``url`` (default: the one the
        description records) that submits with ``key``: the checks and the submitter each
        have their own connection."""
        settings = settings if settings is not None else RelayerSettings.from_env()
        reader = RpcBackend.connect(deployment, url)
        queue = Queue(settings.database_url)
        if key is None:
            return cls(reader, queue, settings)
        submitter = RpcBackend.connect(deployment, url, [key])
        sender = submitter.add_signer(key)
        return cls(reader, queue, settings, sender=sender, submitter=submitter)

    # accepting ---------------------------------------------------------------------------

    def info(self) -> dict[str, Any]:
        """What a client needs to sign and to send: chain, council, limits, the relayer."""
        s = self.settings
        return {
            "chain_id": self.checker.chain_id,
            "council": self.checker.council,
            "relayer": self.sender,
            "submitting": self.sender is not None,
            "batch_size": s.batch_size,
            "batch_interval": s.batch_interval,
            "signer_per_minute": s.signer_per_minute,
            "signer_burst": s.signer_burst,
            "max_body_bytes": s.max_body_bytes,
            "queue": self.queue.counts(),
        }

    def limit_client(self, client: str) -> None:
        """Takes a token of ``client``'s bucket (its IP address); 429 when empty."""
        wait = self.clients.take(f"client:{client}")
        if wait:
            raise Rejection(
                429,
                "rate_limited",
                f"too many requests from {client}: at most {self.settings.client_burst} at once "
                f"and {self.settings.client_per_minute:g} a minute; retry in {wait:.0f} s",
                retry_after=wait,
            )

    def _limit_signer(self, signer: str) -> None:
        wait = self.signers.take(signer)
        if wait:
            raise Rejection(
                429,
                "rate_limited",
                f"too many items signed by {signer}: at most {self.settings.signer_burst} at "
                f"once and {self.settings.signer_per_minute:g} a minute; retry in {wait:.0f} s",
                retry_after=wait,
            )

    def accept(self, kind: Kind, body: Any) -> Item:
        """Parses, checks and queues one item; :class:`Rejection` says why it cannot be."""
        chain_id, council = self.checker.chain_id, self.checker.council
        try:
            if kind == Kind.BALLOT:
                ballot = parse_ballot(body, chain_id=chain_id, council=council)
                checked = self.checker.ballot(ballot, signed=self._limit_signer)
                return self._queue(ballot, checked)
            sponsorship = parse_sponsorship(body, chain_id=chain_id, council=council)
            checked = self.checker.sponsorship(sponsorship, signed=self._limit_signer)
            return self._queue(sponsorship, checked)
        except (ChainError, RuleViolation) as error:
            raise Rejection(
                503, "chain_unavailable", f"the chain cannot be read: {error}"
            ) from None

    def _queue(self, item: BallotItem | SponsorshipItem, checked: Checked) -> Item:
        existing = self.queue.live(checked.dedup_key)
        if existing is not None:
            raise self._duplicate(item, existing.id)
        row = Item(
            kind=item.kind.value,
            route=checked.route.value,
            signer=item.signer,
            motion_id=checked.motion_id,
            stage_id=item.stage_id if isinstance(item, BallotItem) else None,
            choice=int(item.choice) if isinstance(item, BallotItem) else None,
            expiry=str(item.expiry),
            deadline=checked.deadline,
            signature=item.signature,
            dedup_key=checked.dedup_key,
        )
        try:
            return self.queue.add(row)
        except Duplicate as duplicate:
            raise self._duplicate(item, duplicate.existing) from None

    @staticmethod
    def _duplicate(item: BallotItem | SponsorshipItem, existing: int) -> Rejection:
        what = (
            f"a ballot of {item.voter} in stage {item.stage_id}"
            if isinstance(item, BallotItem)
            else f"a sponsorship of motion {item.motion_id} by {item.sponsor}"
        )
        return Rejection(409, "duplicate", f"{what} is already with the relayer (item {existing})")

    # submitting --------------------------------------------------------------------------

    def pump(self) -> int:
        """One round: settle what was sent, then send at most one batch per route (one
        transaction in flight at a time). Returns the number of items sent in this round."""
        if self.sender is None:
            raise ChainError("this relayer has no key: it accepts, another process submits")
        with self._pump_lock:
            self.reconcile()
            sent = 0
            for route in Route:
                if self.queue.pending():
                    break  # a transaction's fate is not known yet: nonces stay in order
                sent += self._submit_route(route)
            return sent

    def flush(self, rounds: int = 1_000) -> int:
        """Pumps until nothing is queued or in flight (or ``rounds`` ran); items sent."""
        sent = 0
        for _ in range(rounds):
            sent_now = self.pump()
            sent += sent_now
            counts = self.queue.counts()
            if not counts["queued"] and not self.queue.pending():
                break
        return sent

    def run(
        self, stop: threading.Event, on_error: Callable[[Exception], None] | None = None
    ) -> None:
        """Pumps every ``batch_interval`` seconds until ``stop`` is set; errors are logged
        (and handed to ``on_error``) and the next round tries again."""
        while not stop.is_set():
            try:
                self.pump()
            except Exception as error:  # the submitter never dies of one bad round
                log.exception("relayer round failed: %s", error)
                if on_error is not None:
                    on_error(error)
            stop.wait(self.settings.batch_interval)

    def start(self) -> tuple[threading.Thread, threading.Event]:
        """Runs :meth:`run` in a daemon thread; set the event to stop it."""
        stop = threading.Event()
        thread = threading.Thread(target=self.run, args=(stop,), name="kol-relayer", daemon=True)
        thread.start()
        return thread, stop

    def _submit_route(self, route: Route) -> int:
        size = min(self.settings.batch_size, _CAPS[route])
        items = self.queue.queued(route.value, size)
        if not items:
            return 0
        now = self.checker.now()
        late = [i for i in items if now > i.deadline]
        expired = [i for i in items if i not in late and now > int(i.expiry)]
        what = "stage's deadline" if route != Route.SPONSORSHIPS else "sponsorship window"
        if late:
            self.queue.reject(late, f"the {what} passed before the item could be sent")
        if expired:
            self.queue.reject(expired, "the signature expired before the item could be sent")
        fresh = [i for i in items if i not in late and i not in expired]
        return self._submit(route, fresh) if fresh else 0

    def _encode(self, route: Route, item: Item) -> tuple[Any, ...]:
        expiry = int(item.expiry)
        if route == Route.SPONSORSHIPS:
            v, r, s = _signature_parts(item.signature)
            return (item.signer, item.motion_id, expiry, v, r, s)
        if route == Route.WALLET_BALLOTS:
            return (item.signer, item.stage_id, item.choice, expiry, item.signature)
        v, r, s = _signature_parts(item.signature)
        return (item.signer, item.stage_id, item.choice, expiry, v, r, s)

    def _submit(self, route: Route, items: list[Item]) -> int:
        assert self.sender is not None
        batch = [self._encode(route, i) for i in items]
        nonce = self.submitter.next_nonce(self.sender)
        try:
            prepared = self.submitter.prepare(
                "council", route.value, batch, sender=self.sender, nonce=nonce
            )
        except RuleViolation as violation:
            if len(items) == 1:
                self.queue.reject(items, f"the council refused the transaction: {violation.reason}")
                return 0
            return self._submit(route, items[: len(items) // 2])  # find the item it refuses
        submission = Submission(
            route=route.value,
            sender=prepared.sender,
            nonce=prepared.nonce,
            tx_hash="0x" + prepared.tx_hash.hex(),
            raw=prepared.raw,
        )
        if not self.queue.record_submission(submission, items):
            log.warning("another submitter took some of these items; nothing was sent")
            return 0
        log.info("submission %s: %d items, %s", submission.id, len(items), submission.tx_hash)
        self._send(submission)
        return len(items)

    def _send(self, submission: Submission) -> None:
        try:
            self.submitter.broadcast(submission.raw)
        except ChainError as error:
            log.warning(
                "sending submission %s failed (retried next round): %s", submission.id, error
            )
            return
        tx_hash = bytes.fromhex(submission.tx_hash[2:])
        receipt = self.submitter.wait_for_receipt(tx_hash, self.settings.receipt_timeout)
        if receipt is not None:
            self._settle(submission, receipt)

    def reconcile(self) -> None:
        """Settles every recorded transaction against the chain: mined ones get their items'
        results; one the node does not know is sent again as the same signed bytes; one whose
        nonce another transaction used can never land, and its items go back to the queue."""
        for submission in self.queue.pending():
            tx_hash = bytes.fromhex(submission.tx_hash[2:])
            receipt = self.submitter.receipt(tx_hash)
            if receipt is None:
                mined_nonce = int(
                    self.submitter.w3.eth.get_transaction_count(
                        submission.sender,  # type: ignore[arg-type]
                        "latest",
                    )
                )
                if mined_nonce > submission.nonce:
                    receipt = self.submitter.receipt(tx_hash)  # mined in between?
                    if receipt is None:
                        self.queue.settle_failed(
                            submission.id,
                            SubmissionStatus.DROPPED,
                            "the relayer's transaction was replaced and never landed",
                            self.settings.max_attempts,
                        )
                        continue
                else:
                    self._send(submission)
                    continue
            self._settle(submission, receipt)

    def _settle(self, submission: Submission, receipt: Any) -> None:
        route = Route(submission.route)
        if int(receipt["status"]) != 1:
            self.queue.settle_failed(
                submission.id,
                SubmissionStatus.REVERTED,
                f"the batch transaction {submission.tx_hash} reverted",
                self.settings.max_attempts,
            )
            return
        table = SPONSORSHIP_RESULTS if route == Route.SPONSORSHIPS else BALLOT_RESULTS
        council = self.checker.council.lower()
        results: dict[int, tuple[int, str | None]] = {}
        for entry in receipt["logs"]:
            topics = entry["topics"]
            if str(entry["address"]).lower() != council or not topics:
                continue
            if bytes(topics[0]) != _REJECTED_TOPIC[route]:
                continue
            index, status = decode(["uint256", "uint8"], bytes(entry["data"]))
            reason = table.get(int(status), (f"status_{status}", None))[1]
            results[int(index)] = (int(status), reason)
        self.queue.settle_mined(
            submission.id, int(receipt["blockNumber"]), int(receipt["gasUsed"]), results
        )

    # reporting ---------------------------------------------------------------------------

    def describe(self, item: Item) -> dict[str, Any]:
        """An item as the API shows it."""
        submission = (
            self.queue.submission(item.submission_id) if item.submission_id is not None else None
        )
        view: dict[str, Any] = {
            "id": item.id,
            "kind": item.kind,
            "status": item.status,
            "signer": item.signer,
            "motion_id": item.motion_id,
            "expiry": item.expiry,
            "created_at": item.created_at,
            "updated_at": item.updated_at,
        }
        if item.kind == Kind.BALLOT:
            view["stage_id"] = item.stage_id
            view["choice"] = {1: "for", 2: "against", 3: "abstain"}.get(item.choice or 0)
        if submission is not None:
            view["tx_hash"] = submission.tx_hash
            view["block_number"] = submission.block_number
        if item.result_code is not None:
            table = SPONSORSHIP_RESULTS if item.kind == Kind.SPONSORSHIP else BALLOT_RESULTS
            name = table.get(item.result_code, (f"status_{item.result_code}", None))[0]
            view["result"] = {
                "code": item.result_code,
                "name": name,
                "recorded": item.result_code == 0,
                "reason": item.reason,
            }
        elif item.reason is not None:
            view["reason"] = item.reason
        return view
