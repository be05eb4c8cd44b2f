"""A fake Asterisk PBX for end-to-end call tests: one inbound call over real FastAGI.

Unlike `AgiPeer`'s fixed script, it answers each command as Asterisk would for a caller and a
set of targets that behave as told: a `Dial` to an answering target sets DIALSTATUS=ANSWER,
ANSWEREDTIME and DIALEDPEERNUMBER; busy and unanswered targets fail over; a caller may hang up
at a chosen command (`HANGUP` then `200 result=-1`, and `511` for everything after; or, as with
AGISIGHUP=no, the `200 result=-1` alone), a prompt may be missing (`200 result=-1` on a live
channel), or the whole PBX may vanish (the TCP connection drops mid-command, as when Asterisk
restarts).
"""

from __future__ import annotations

import asyncio
import contextlib
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field

from tests.peers.agi_peer import DEAD, HOST, env_block

# res_agi.c runs these on a channel that has hung up; everything else gets 511.
DEAD_SAFE = ("EXEC", "GET VARIABLE", "GET FULL VARIABLE", "SET VARIABLE", "VERBOSE", "NOOP")
Behaviour = str  # "answer" | "busy" | "noanswer" | "congestion" | "hold" (ring until dropped)


@dataclass
class PbxCall:
    port: int
    exten: str
    callerid: str = "+13125550123"
    digits: str = ""
    targets: Mapping[str, Behaviour] = field(default_factory=dict)  # dial resource -> behaviour
    talk_seconds: int = 95
    hangup_at: str | None = None  # caller hangs up when a command starts with this
    # ... and with AGISIGHUP=no: no `HANGUP` line, only the command's `200 result=-1`.
    silent_hangup_at: str | None = None
    # The caller hangs up just before this command arrives: `HANGUP`, then it meets a dead line.
    gone_before: str | None = None
    missing_prompts: frozenset[str] = frozenset()  # files absent on this PBX: result=-1
    drop_at: str | None = None  # the PBX vanishes when a command starts with this
    uniqueid: str = "1764000000.1"
    # RECORD FILE's reply: 2 s of message by default; `HANGUP\n...` hangs the caller up in it.
    record_reply: bytes = b"200 result=0 (timeout) endpos=16000\n"
    commands: list[str] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)
    dialling: asyncio.Event = field(default_factory=asyncio.Event)
    hung_up_after_talk: bool = False  # set by an answered Dial: the caller ends the call

    def sent(self, verb: str) -> list[list[str]]:
        """The commands received whose first words are `verb`, split as Asterisk parses them."""
        size = len(verb.split())
        return [w for w in map(shlex.split, self.commands) if " ".join(w[:size]) == verb]

    async def run(self) -> PbxCall:
        reader, writer = await asyncio.open_connection(HOST, self.port)
        env = {"extension": self.exten, "dnid": self.exten, "callerid": self.callerid,
               "uniqueid": self.uniqueid}
        writer.write(env_block(self.port, "inbound", env))
        dead = False
        try:
            while line := await reader.readline():
                self.commands.append(line.decode().rstrip("\n"))
                command = " ".join(shlex.split(self.commands[-1]))  # as res_agi.c parses it
                if self.drop_at and command.startswith(self.drop_at):
                    return self
                if not dead and self.gone_before and command.startswith(self.gone_before):
                    writer.write(b"HANGUP\n")
                    dead = True
                if dead and not command.startswith(DEAD_SAFE):
                    writer.write(DEAD)
                elif self.hangup_at and command.startswith(self.hangup_at):
                    writer.write(b"HANGUP\n200 result=-1\n")
                    dead = True
                elif self.silent_hangup_at and command.startswith(self.silent_hangup_at):
                    writer.write(b"200 result=-1 endpos=0\n")
                    dead = True
                else:
                    reply = await self._reply(command)
                    dead = dead or reply.startswith(b"HANGUP")
                    if self.hung_up_after_talk and command.startswith("EXEC Dial"):
                        reply, dead = b"HANGUP\n" + reply, True
                    writer.write(reply)
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()
        return self

    async def _reply(self, command: str) -> bytes:
        words = shlex.split(command)
        verb = " ".join(words[:2]).upper()
        if verb.startswith("ANSWER"):
            return b"200 result=0\n"
        if verb == "SET VARIABLE":
            self.variables[words[2]] = words[3] if len(words) > 3 else ""
            return b"200 result=1\n"
        if verb == "GET VARIABLE":
            found = self.variables.get(words[2])
            return b"200 result=0\n" if found is None else f"200 result=1 ({found})\n".encode()
        if verb in ("STREAM FILE", "GET DATA") and words[2].rsplit("/", 1)[-1] in (
                self.missing_prompts):
            return b"200 result=-1 endpos=0\n" if verb == "STREAM FILE" else b"200 result=-1\n"
        if verb == "STREAM FILE":
            return b"200 result=0 endpos=8000\n"
        if verb == "CHANNEL STATUS":
            return b"200 result=6\n"  # AST_STATE_UP
        if verb == "GET DATA":
            keys, self.digits = self.digits[:1], self.digits[1:]
            return f"200 result={keys}\n".encode() if keys else b"200 result= (timeout)\n"
        if verb == "RECORD FILE":
            return self.record_reply
        if verb.startswith("EXEC") and words[1].lower() == "dial":
            return await self._dial(words[2])
        if verb.startswith("EXEC"):
            return b"200 result=0\n"
        if verb.startswith("HANGUP"):
            return b"200 result=1\n"
        return b"510 Invalid or unknown command\n"

    async def _dial(self, args: str) -> bytes:
        resources = [d.split("/", 1)[1] for d in args.split(",")[0].split("&")]
        behaviours = [self.targets.get(r, "noanswer") for r in resources]
        self.dialling.set()
        if "hold" in behaviours:
            await asyncio.Event().wait()  # rings until the test drops something
        for resource, behaviour in zip(resources, behaviours, strict=True):
            if behaviour == "answer":
                self.variables.update(DIALSTATUS="ANSWER", ANSWEREDTIME=str(self.talk_seconds),
                                      DIALEDPEERNUMBER=resource)
                self.hung_up_after_talk = True
                return b"200 result=0\n"
        status = ("BUSY" if all(b == "busy" for b in behaviours)
                  else "CONGESTION" if all(b == "congestion" for b in behaviours)
                  else "NOANSWER")
        self.variables.update(DIALSTATUS=status, ANSWEREDTIME="")
        self.variables.pop("DIALEDPEERNUMBER", None)
        return b"200 result=0\n"
