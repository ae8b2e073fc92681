"""What other apps add to the pages of accounts, without accounts importing them (schemes → core →
accounts): core registers, in its `ready()`, the sections an organisation's page shows besides its
own data (its files across the schemes, its amounts and payments)."""

from collections.abc import Callable

# (request, organisation) -> {"template": ..., "context": {...}} or None (nothing to show)
OrganisationSection = Callable[[object, object], dict | None]
_SECTIONS: list[OrganisationSection] = []


def register_organisation_section(section: OrganisationSection) -> None:
    if section not in _SECTIONS:
        _SECTIONS.append(section)


def organisation_sections(request, organisation) -> list[dict]:
    return [shown for section in _SECTIONS if (shown := section(request, organisation))]
