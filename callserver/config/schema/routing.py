"""What happens to a call: routing, prompts, IVR menus, conversion — the inheritable settings."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, model_validator

from callserver.config.schema.base import Name, Regex, Seconds, Strict, Tags, as_list
from callserver.config.schema.input_schema import OR_SCALARS
from callserver.config.schema.patterns import DIGIT_PATTERN, IVR_PATH_PATTERN, WHEN_PATTERN

Digit = Annotated[str, Field(pattern=DIGIT_PATTERN)]


class TargetRef(Strict):
    """One target in a routing list."""

    target: Name = Field(description="Name of a target under `targets`.")
    priority: int = Field(1, ge=1, description="`priority` strategy: lower rings first.")
    weight: int = Field(1, ge=1, description="`weighted` strategy: share of calls.")


class Match(Strict):
    """A condition on one call attribute; a plain string in `when` means `equals`."""

    equals: list[str] | None = Field(None, description="Matches any of these values exactly.")
    regex: Regex | None = Field(None, description="Matches when the regex is found.")


def _as_match(value: object) -> object:
    if isinstance(value, str | int | float | bool | list):
        return {"equals": [str(v) for v in as_list(value)]}
    return value


WhenValue = Annotated[Match, BeforeValidator(_as_match), OR_SCALARS]
WhenKey = Annotated[str, Field(pattern=WHEN_PATTERN)]


class Rule(Strict):
    """The first rule whose every `when` condition holds replaces the routing targets."""

    when: dict[WhenKey, WhenValue] = Field(
        min_length=1,
        description="Conditions on `tags.NAME`, `caller`, `number`, `digits`, `source`, "
                    "`publisher` or `sub_id`; all must hold.")
    targets: list[TargetRef] = Field(min_length=1, description="Targets used when it matches.")
    strategy: Literal["priority", "round_robin", "weighted", "simultaneous"] | None = Field(
        None, description="Strategy for these targets; the routing's own when absent.")


class AfterHours(Strict):
    """What a call gets while the schedule is closed, instead of only the `closed` prompt:
    targets to ring, and/or a voicemail after the `closed` prompt."""

    targets: list[TargetRef] = Field(
        default_factory=list, description="Rung after hours, by the routing's strategy.")
    action: Literal["hangup", "voicemail"] = Field(
        "hangup", description="`voicemail`: a call no after-hours target takes (none listed, "
                              "none able to ring, or none of them answered) hears the "
                              "`closed` prompt, then records a message. `hangup`: it hears "
                              "the `closed` prompt and is hung up on, or, once targets rang, "
                              "ends as `no_target` says.")

    @model_validator(mode="after")
    def _targets_or_voicemail(self) -> AfterHours:
        if not self.targets and self.action == "hangup":
            raise ValueError("after_hours needs `targets` to ring or `action: voicemail`")
        return self


class NoTarget(Strict):
    """What a caller hears when every target is closed, capped, busy or unanswered."""

    prompt: Name | None = Field(None, description="Prompt played before hanging up.")
    action: Literal["hangup", "voicemail"] = Field(
        "hangup", description="`voicemail` records a message after the prompt.")


class Routing(Strict):
    """How calls are distributed to targets."""

    strategy: Literal["priority", "round_robin", "weighted", "simultaneous"] = Field(
        "priority", description="priority: ordered failover; round_robin: each call starts "
                                "at the listed target after the one the last call rang (a "
                                "closed or full one is passed over, so the others share its "
                                "turns evenly; each target list keeps its own turns); "
                                "weighted: by weight; simultaneous: ring all at once.")
    ring_timeout: Seconds = Field(20, le=600, description="Seconds each attempt rings.")
    targets: list[TargetRef] = Field(default_factory=list, description="Default targets.")
    rules: list[Rule] = Field(default_factory=list, description="Overrides, first match wins.")
    after_hours: AfterHours | None = Field(
        None, description="While the schedule is closed: targets to ring and/or a voicemail; "
                          "absent: the `closed` prompt, then hang up.")
    no_target: NoTarget = Field(default_factory=NoTarget)


class Prompts(Strict):
    """Audio prompts by role; each names a file in a prompts directory (no extension)."""

    greeting: Name | None = Field(None, description="Played after answer.")
    whisper: Name | None = Field(None, description="Played to the agent before connecting.")
    closed: Name | None = Field(None, description="Played when the schedule is closed.")
    capped: Name | None = Field(None, description="Played when a cap refuses the call.")
    invalid: Name | None = Field(None, description="Played after an invalid IVR choice.")


class IvrOption(Strict):
    """What one key does: add tags, replace the targets, and/or open a sub-menu."""

    tags: Tags = Field(default_factory=dict)
    targets: list[TargetRef] | None = None
    menu: IvrMenu | None = None


class IvrMenu(Strict):
    """A menu: play `prompt`, read one key, act on it; retry on a bad key or silence."""

    prompt: Name = Field(description="Prompt listing the options.")
    options: dict[Digit, IvrOption] = Field(min_length=1)
    timeout: Seconds = Field(5, le=60, description="Seconds to wait for a key.")
    retries: int = Field(2, ge=0, le=10, description="Extra tries after silence or a bad key.")
    invalid_prompt: Name | None = Field(None, description="Played after a bad key.")
    default: IvrOption | None = Field(None, description="Taken when the retries run out.")


class Conversion(Strict):
    """When a call counts as converted: answered, and every condition given holds."""

    min_duration: int = Field(0, ge=0, description="Talk seconds needed (0: any answer).")
    targets: list[Name] = Field(
        default_factory=list, description="Answered by one of these targets (a buyer, the "
                                          "sales line); empty: by any.")
    ivr: list[Annotated[str, Field(pattern=IVR_PATH_PATTERN)]] = Field(
        default_factory=list, description='The caller chose one of these IVR paths, keys of '
                                          'each menu level apart by spaces ("1", "2 3"); a '
                                          'path chosen through it counts too; empty: any.')
    tags: Tags = Field(default_factory=dict, description="The call carries all these tags "
                                                         "(its number's, its source's, its "
                                                         "IVR choices').")
    repeat_within_days: int | None = Field(
        None, ge=1, le=365, description="A caller who called the campaign in the days before "
                                        "does not convert again (pay-per-call's duplicate "
                                        "rule); withheld caller ids are never repeats.")


IvrOption.model_rebuild()
