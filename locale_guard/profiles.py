"""Locale profiles: what a market expects, derived from CLDR (Babel) and ``holidays``.

Every locale Babel knows gets a profile at run time. Curated ``locales/<tag>.yaml`` files
(market policy such as the register a brand speaks in) refine the derived facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from locale_guard.tags import babel_identifier, language_of, normalise_tag

if TYPE_CHECKING:
    from locale_guard.config import Config


class UnknownLocaleError(ValueError):
    """A tag Babel has no data for (neither the tag nor its language)."""


@dataclass(frozen=True)
class LocaleProfile:
    tag: str
    language: str
    script: str | None
    region: str | None
    #: CLDR plural categories for cardinals, e.g. ("one", "few", "many", "other") for pl
    plural_categories: tuple[str, ...]
    text_direction: str = "ltr"
    fallback: tuple[str, ...] = ()
    register: str = "any"
    register_reason: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    #: which fields came from a curated file rather than from CLDR
    curated: frozenset[str] = frozenset()


@lru_cache(maxsize=2048)
def _derived(tag: str) -> LocaleProfile:
    from babel import Locale
    from babel import UnknownLocaleError as BabelUnknown

    ident = babel_identifier(tag)
    try:
        loc = Locale.parse(ident)
    except (BabelUnknown, ValueError):
        try:
            loc = Locale.parse(language_of(tag))
        except (BabelUnknown, ValueError):
            raise UnknownLocaleError(f"no CLDR data for locale '{tag}'") from None
    parts = tag.split("-")
    region = next((p for p in parts[1:] if len(p) in (2, 3) and (p.isupper() or p.isdigit())), None)
    script = next((p for p in parts[1:] if len(p) == 4 and p.istitle()), None) or loc.script
    chain = [tag]
    if region or script:
        chain.append(language_of(tag))
    chain.append("und")
    order = ["zero", "one", "two", "few", "many", "other"]
    plurals = tuple(sorted(loc.plural_form.tags | {"other"}, key=order.index))
    return LocaleProfile(
        tag=tag,
        language=loc.language,
        script=script,
        region=region or loc.territory,
        plural_categories=plurals,
        text_direction=loc.text_direction,
        fallback=tuple(dict.fromkeys(chain)),
    )


def load_profile(tag: str, config: Config | None = None) -> LocaleProfile:
    """The profile of ``tag``: CLDR facts, refined by config (``[locales."TAG"]``)."""
    canonical = normalise_tag(tag).tag
    profile = _derived(canonical)
    if config is not None:
        register = config.locale_setting(canonical, "register")
        if register:
            from dataclasses import replace

            profile = replace(
                profile,
                register=register,
                register_reason="set in configuration",
                curated=profile.curated | {"register"},
            )
    return profile
