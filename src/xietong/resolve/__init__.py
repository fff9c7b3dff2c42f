"""Chinese organisation-name parsing and entity resolution (pure, in memory)."""

from xietong.resolve.matcher import Match, Resolver
from xietong.resolve.names import OrgName, compact, name_keys, normalize, parse_org_name

__all__ = ["Match", "OrgName", "Resolver", "compact", "name_keys", "normalize", "parse_org_name"]
